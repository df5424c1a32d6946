package dev.gotrace.core.plan;

import java.util.List;
import java.util.Locale;

/**
 * A refusal to plan, with what the user can do about it. Each kind is its own class so that the
 * command line can map it to an exit code.
 */
public abstract sealed class PlanException extends RuntimeException
    permits PlanException.NoMatch, PlanException.InlinedOnly, PlanException.TooManySites,
        PlanException.WrongArch, PlanException.NoGoroutineLayout,
        PlanException.UnprovenSite, PlanException.NoLine, PlanException.AmbiguousFile {
  private final String hint;

  PlanException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  /** What to do about it. */
  public String hint() {
    return hint;
  }

  /** A pattern matched no function; {@code suggestions} are close names, best first. */
  public static final class NoMatch extends PlanException {
    private final List<String> suggestions;

    public NoMatch(String binary, String pattern, List<String> suggestions) {
      super("no function of " + binary + " matches " + pattern,
          suggestions.isEmpty() ? "see the names with 'gotrace list " + binary + "'"
              : "did you mean " + String.join(", ", suggestions) + "?");
      this.suggestions = List.copyOf(suggestions);
    }

    public List<String> suggestions() {
      return suggestions;
    }
  }

  /** A pattern matched only functions that exist as inlined copies. */
  public static final class InlinedOnly extends PlanException {
    public InlinedOnly(String function, int copies, List<String> where) {
      super(function + " has no code of its own: the compiler inlined every call ("
              + copies + (copies == 1 ? " copy" : " copies") + ", in "
              + String.join(", ", where.subList(0, Math.min(3, where.size())))
              + (where.size() > 3 ? ", ..." : "") + ")",
          "trace the functions it was inlined into, or rebuild with -gcflags=-l");
    }
  }

  /** More probes than the limit ({@code --max-sites} counts probes: entries, exits, inlined copies). */
  public static final class TooManySites extends PlanException {
    public TooManySites(int probes, int functions, int limit) {
      super("the patterns need " + String.format(Locale.ROOT, "%,d", probes) + " probes on "
          + String.format(Locale.ROOT, "%,d", functions) + (functions == 1 ? " function" : " functions")
          + ", more than the limit of " + limit + " probes",
          "narrow the patterns, or raise the limit with --max-sites " + probes);
    }
  }

  /**
   * The binary's architecture is not the host's, or not one gotrace can probe: live tracing is
   * amd64 binaries on amd64 hosts only, while {@code info} and {@code list} read every
   * architecture gotrace knows.
   */
  public static final class WrongArch extends PlanException {
    public WrongArch(String binary, String binaryArch, String hostArch) {
      super(binary + " is " + article(binaryArch) + " " + binaryArch + " binary; this machine is " + hostArch,
          "live tracing is amd64 only (an amd64 binary on an amd64 machine); 'gotrace info' and"
              + " 'gotrace list --sites' read " + binaryArch + " binaries");
    }

    /** "an" before a vowel sound as written (an amd64, an arm64), "a" otherwise (a 386). */
    static String article(String word) {
      return !word.isEmpty() && "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an" : "a";
    }
  }

  /**
   * Where g.goid (or how to reach g) is not proven: {@code reason} names what was missing or did
   * not agree, e.g. the derived runtime.g layout against the version table.
   */
  public static final class NoGoroutineLayout extends PlanException {
    public NoGoroutineLayout(String binary, String version, String reason) {
      super(binary + " (" + version + "): " + reason,
          "use a build with DWARF (not -ldflags=-w), or a separate debug file under /usr/lib/debug");
    }
  }

  /**
   * An address about to be handed to the kernel failed the last check before attach
   * ({@link AttachCheck}): it is not inside a function of the pclntab, not an instruction boundary
   * of the linear decode from that function's entry, or its file offset is not the one the ELF
   * segments give. Whatever planned it was wrong; nothing is attached.
   */
  public static final class UnprovenSite extends PlanException {
    private final long address;

    public UnprovenSite(String binary, String what, long address, String reason) {
      super("refusing to attach " + what + " at 0x" + Long.toHexString(address) + " in " + binary + ": " + reason,
          "nothing was attached; gotrace misread this binary, please report it with the output of 'gotrace info "
              + binary + "'");
      this.address = address;
    }

    /** A refusal that concerns the plan as a whole rather than one address. */
    public UnprovenSite(String binary, String reason) {
      super("refusing to attach probes to " + binary + ": " + reason,
          "plan and attach with the same binary");
      this.address = -1;
    }

    /** The refused address (link-time virtual address); -1 when the refusal concerns the whole plan. */
    public long address() {
      return address;
    }
  }

  /**
   * A line target that names no code: no file of that suffix, no function for {@code FUNC+N}, or a
   * line without instructions (a comment, a declaration, code the compiler removed).
   */
  public static final class NoLine extends PlanException {
    public NoLine(String message, String hint) {
      super(message, hint);
    }
  }

  /** A line target whose file suffix names several files of the binary. */
  public static final class AmbiguousFile extends PlanException {
    public AmbiguousFile(String target, List<String> files) {
      super(target + " is ambiguous: " + files.size() + " files end in "
              + target.substring(0, target.lastIndexOf(':')) + ": "
              + String.join(", ", files.subList(0, Math.min(4, files.size()))) + (files.size() > 4 ? ", ..." : ""),
          "name the file by a longer path suffix, e.g. " + longer(files.get(0)) + target.substring(target.lastIndexOf(':')));
    }

    /** The last two components of {@code path}. */
    private static String longer(String path) {
      int last = path.lastIndexOf('/');
      int before = last <= 0 ? -1 : path.lastIndexOf('/', last - 1);
      return path.substring(before + 1);
    }
  }
}
