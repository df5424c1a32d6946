package dev.gotrace.core.plan;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.elf.Segment;
import dev.gotrace.goelf.moduledata.ModuleData;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.PcRun;
import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.goelf.sites.SiteStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The last check before attach, the one place every address passes through on its way to the
 * kernel, whichever planner computed it (entry probes, exit sites, inlined copies, newproc1's
 * sites). A uprobe in the middle of an instruction corrupts the traced program (DESIGN.md, Go fact
 * 2), so each address must:
 *
 * <ol>
 *   <li>lie inside a function of the pclntab ({@link GoBinary#funcForPc}), whose entry lies in an
 *       executable {@code PT_LOAD} segment, as the address itself does, and inside the module's
 *       proven text ({@code minpc}..{@code maxpc} of {@link GoBinary#moduleData}, from which goelf
 *       takes runtime.text) when the module data was found;
 *   <li>be an instruction boundary of a linear decode that starts at that function's entry
 *       ({@link GoBinary#sites}, {@link FunctionSites#isInstructionBoundary}); a function whose
 *       bytes do not decode exactly has no boundary at all;
 *   <li>belong to a function whose decode is in step with the compiler's own instruction starts:
 *       every PC at which the function's SP-delta table changes, and for Go code (not assembly)
 *       its line table, is an instruction boundary of that decode. The tables are written per
 *       instruction, so they change only at instruction starts; a wrong {@code runtime.text} (C
 *       code linked first, DESIGN.md fact 9) moves every entry into other code, where a decode
 *       can still succeed but falls out of step with the tables. Measured on the whole amd64
 *       matrix (Go 1.15–1.27, every variant, every function): no correct binary has a function
 *       out of step; with the text start taken from {@code .text} in the distro builds of Go
 *       1.26 and 1.27, every {@code main.*} function is undecodable or out of step. (Assembly's
 *       line tables may change inside an instruction: runtime.cgoSigtramp, the chacha20poly1305
 *       assembly, Go 1.15's runtime/internal/atomic.Cas64.)
 *   <li>carry the file offset that the ELF program headers give for it ({@link GoBinary#fileOffset}),
 *       since a uprobe is attached at a file offset, not at an address.
 * </ol>
 *
 * <p>The plan must also have been made from the file the probes go into. Anything else is a
 * {@link PlanException.UnprovenSite}: a refusal, never an attach. The only way to a
 * {@link Checked} set of probes, which is what {@code KernelResources.attachEach} takes, is
 * {@link #check}.
 */
public final class AttachCheck {
  private AttachCheck() {}

  /**
   * One address about to be handed to the kernel.
   *
   * @param what what it is, for the refusal ("the entry probe of main.f")
   * @param address link-time virtual address
   * @param fileOffset the offset the uprobe is attached at
   * @param cookie the value the program reads back with {@code bpf_get_attach_cookie}
   */
  public record Probe(String what, long address, long fileOffset, long cookie) {}

  /** Probes that passed {@link #check}, for one binary; nothing else constructs one. */
  public static final class Checked {
    private final Path binary;
    private final List<Probe> probes;

    private Checked(Path binary, List<Probe> probes) {
      this.binary = binary;
      this.probes = List.copyOf(probes);
    }

    /** The file the uprobes go into. */
    public Path binary() {
      return binary;
    }

    public List<Probe> probes() {
      return probes;
    }
  }

  /**
   * Checks every probe of a plan made from {@code bin} that is about to be attached to
   * {@code binary}.
   *
   * @throws PlanException.UnprovenSite for the first probe that fails, naming it and why
   */
  public static Checked check(GoBinary bin, Path binary, List<Probe> probes) {
    String name = binary.toString();
    if (!sameFile(bin.path(), binary)) {
      throw new PlanException.UnprovenSite(name, "the plan was made from " + bin.path() + ", another file");
    }
    List<Segment> text = bin.elf().segments().stream().filter(s -> s.isLoad() && s.isExecutable()).toList();
    Optional<ModuleData> module;
    try {
      module = bin.moduleData();
    } catch (GoBinaryException e) {
      throw new PlanException.UnprovenSite(name, "its module data could not be read (" + e.getMessage() + ")");
    }
    Map<Long, FunctionSites> decoded = new HashMap<>();
    Map<Long, String> outOfStep = new HashMap<>();
    for (Probe p : probes) {
      long at = p.address();
      Optional<GoFunc> found = bin.funcForPc(at);
      if (found.isEmpty() || !found.get().contains(at)) {
        throw new PlanException.UnprovenSite(name, p.what(), at, "the address lies outside every function of the pclntab");
      }
      GoFunc f = found.get();
      if (!inFileOf(text, f.entry()) || !inFileOf(text, at)) {
        throw new PlanException.UnprovenSite(name, p.what(), at, f.name() + " at 0x" + Long.toHexString(f.entry())
            + " is not in the file bytes of an executable segment");
      }
      if (module.isPresent() && (Long.compareUnsigned(f.entry(), module.get().minpc()) < 0
          || Long.compareUnsigned(f.end(), module.get().maxpc()) > 0)) {
        throw new PlanException.UnprovenSite(name, p.what(), at, f.name() + " (0x" + Long.toHexString(f.entry())
            + "..0x" + Long.toHexString(f.end()) + ") is outside the module's text 0x"
            + Long.toHexString(module.get().minpc()) + "..0x" + Long.toHexString(module.get().maxpc()));
      }
      FunctionSites s = decoded.get(f.entry());
      if (s == null) {
        try {
          s = bin.tracedSites(f);
        } catch (GoBinaryException e) {
          throw new PlanException.UnprovenSite(name, p.what(), at, "the machine code of " + f.name()
              + " could not be read (" + e.getMessage() + ")");
        }
        decoded.put(f.entry(), s);
      }
      if (s.status() == SiteStatus.UNDECODABLE || s.entry() != f.entry()) {
        throw new PlanException.UnprovenSite(name, p.what(), at, "the machine code of " + f.name()
            + " does not decode from its entry 0x" + Long.toHexString(f.entry())
            + (s.reason().isEmpty() ? "" : " (" + s.reason() + ")"));
      }
      String step = outOfStep.get(f.entry());
      if (step == null) {
        step = outOfStep(bin, f, s);
        outOfStep.put(f.entry(), step);
      }
      if (!step.isEmpty()) {
        throw new PlanException.UnprovenSite(name, p.what(), at, "the decode of " + f.name() + " from its entry 0x"
            + Long.toHexString(f.entry()) + " is out of step with the pclntab: " + step
            + " (as when the function's entry, or the text start, is wrong)");
      }
      if (!s.isInstructionBoundary(at)) {
        throw new PlanException.UnprovenSite(name, p.what(), at, "not an instruction boundary of " + f.name()
            + " decoded from its entry 0x" + Long.toHexString(f.entry()) + around(s, at));
      }
      OptionalLong off = bin.fileOffset(at);
      if (off.isEmpty() || off.getAsLong() != p.fileOffset()) {
        throw new PlanException.UnprovenSite(name, p.what(), at, "file offset 0x" + Long.toHexString(p.fileOffset())
            + (off.isEmpty() ? ", but the address maps to no file offset"
                : ", but the program headers map the address to 0x" + Long.toHexString(off.getAsLong())));
      }
    }
    return new Checked(binary, probes);
  }

  /**
   * Where the pclntab says an instruction starts and the decode {@code s} of {@code f} does not:
   * "its SP-delta table changes at 0x…, inside an instruction"; empty when they agree.
   */
  private static String outOfStep(GoBinary bin, GoFunc f, FunctionSites s) {
    try {
      String sp = insideAnInstruction(bin.pclntab().spDeltaTable(f), f, s);
      if (!sp.isEmpty()) {
        return "its SP-delta table changes at " + sp + ", inside an instruction";
      }
      if (!ArgsPlanner.isAssembly(f)) {
        String line = insideAnInstruction(bin.pclntab().lineTable(f), f, s);
        if (!line.isEmpty()) {
          return "its line table changes at " + line + ", inside an instruction";
        }
      }
      return "";
    } catch (GoBinaryException e) {
      return "its pc tables could not be read (" + e.getMessage() + ")";
    }
  }

  private static String insideAnInstruction(List<PcRun> runs, GoFunc f, FunctionSites s) {
    for (PcRun r : runs) {
      if (r.start() > f.entry() && r.start() < f.end() && !s.isInstructionBoundary(r.start())) {
        return "0x" + Long.toHexString(r.start());
      }
    }
    return "";
  }

  /** " (instructions start at 0x… and 0x…)": the boundaries either side of {@code at}. */
  private static String around(FunctionSites s, long at) {
    long before = s.boundaries().starts().filter(x -> x < at).max().orElse(-1);
    long after = s.boundaries().starts().filter(x -> x > at).min().orElse(-1);
    if (before < 0 && after < 0) {
      return "";
    }
    return " (instructions start at " + (before < 0 ? "" : "0x" + Long.toHexString(before))
        + (before >= 0 && after >= 0 ? " and " : "") + (after < 0 ? "" : "0x" + Long.toHexString(after)) + ")";
  }

  private static boolean inFileOf(List<Segment> segments, long vaddr) {
    return segments.stream().anyMatch(s -> s.containsInFile(vaddr));
  }

  private static boolean sameFile(Path a, Path b) {
    if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
      return true;
    }
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
