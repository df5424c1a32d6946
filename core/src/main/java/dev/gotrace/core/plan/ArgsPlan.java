package dev.gotrace.core.plan;

import dev.gotrace.core.abi.ParamLayout;
import java.util.List;

/**
 * Everything needed to attach the probes of {@code gotrace args} and decode their records: an
 * entry probe per function (arguments) and a probe on each of its exit instructions (results).
 *
 * @param base the entry plan (sites, g access, goid offset) shared with {@code funcs}
 * @param stackHiOffset offset of {@code g.stack.hi}: entries and returns are matched by
 *     {@code (g, stack.hi - SP)}, which survives stack copies
 * @param strsize bytes copied from each string and byte slice
 * @param functions per entry site of {@code base} (same index), what its parameters are
 * @param blocks per kind of record, its layout; the high 32 bits of a cookie
 * @param sites every probe; the low 32 bits of a cookie
 * @param notes things the user should know (no DWARF, skipped exits)
 */
public record ArgsPlan(ProbePlan base, long stackHiOffset, int strsize, List<FunctionArgs> functions,
    List<Block> blocks, List<ArgsSite> sites, List<Note> notes) {

  public ArgsPlan {
    functions = List.copyOf(functions);
    blocks = List.copyOf(blocks);
    sites = List.copyOf(sites);
    notes = List.copyOf(notes);
  }

  /**
   * What is known of one traced function's parameters.
   *
   * @param inlinedInto for an inlined copy, "F at file:line" (the function it was inlined into
   *     and the call's position); empty for a function's own body
   * @param site for a line probe ({@link Kind#LINE}) its label, "main.go:97" or "main.go:97 [2/3]",
   *     with {@code inputs} the parameters and locals live there; else ""
   */
  public record FunctionArgs(String function, boolean typed, List<ParamLayout> inputs,
      List<ParamLayout> results, String inlinedInto, String site) {
    public FunctionArgs {
      inputs = List.copyOf(inputs);
      results = List.copyOf(results);
    }

    public FunctionArgs(String function, boolean typed, List<ParamLayout> inputs, List<ParamLayout> results,
        String inlinedInto) {
      this(function, typed, inputs, results, inlinedInto, "");
    }

    public FunctionArgs(String function, boolean typed, List<ParamLayout> inputs, List<ParamLayout> results) {
      this(function, typed, inputs, results, "");
    }
  }

  /**
   * Which probe: the entry, a return instruction (results readable), another exit (tail call), or
   * the first instruction of an inlined copy (arguments where DWARF locates them there; an
   * inlined copy has no return instruction of its own), or the statement boundary of a source line
   * (parameters and locals where DWARF locates them there; no return).
   */
  public enum Kind { ENTRY, RETURN, TAIL_EXIT, INLINED, LINE }

  /** The record layout shared by the probes of one function and kind. */
  public record Block(int id, int function, Kind kind, RecordLayout layout) {}

  /**
   * One uprobe.
   *
   * @param index its index in {@link ArgsPlan#sites()}
   * @param block its {@link Block}'s id
   * @param address link-time virtual address
   * @param fileOffset what the uprobe is attached at
   */
  public record ArgsSite(int index, int block, long address, long fileOffset) {
    public long cookie() {
      return (long) block << 32 | index;
    }
  }

  /** What goes to the kernel: every site, with its cookie ({@link AttachCheck}). */
  public List<AttachCheck.Probe> probes() {
    return sites.stream().map(s -> {
      Block b = blocks.get(s.block());
      FunctionArgs f = functions.get(b.function());
      String what = switch (b.kind()) {
        case ENTRY -> "the entry probe of " + f.function();
        case RETURN -> "a return probe of " + f.function();
        case TAIL_EXIT -> "a tail-exit probe of " + f.function();
        case INLINED -> "the probe of " + f.function() + " inlined into " + f.inlinedInto();
        case LINE -> "the probe of " + f.site() + " in " + f.function();
      };
      return new AttachCheck.Probe(what, s.address(), s.fileOffset(), s.cookie());
    }).toList();
  }

  public Block block(long cookie) {
    int b = (int) (cookie >>> 32);
    if (b < 0 || b >= blocks.size()) {
      throw new IllegalArgumentException("no block for cookie 0x" + Long.toHexString(cookie));
    }
    return blocks.get(b);
  }

  public ArgsSite site(long cookie) {
    int s = (int) cookie;
    if (s < 0 || s >= sites.size()) {
      throw new IllegalArgumentException("no site for cookie 0x" + Long.toHexString(cookie));
    }
    return sites.get(s);
  }
}
