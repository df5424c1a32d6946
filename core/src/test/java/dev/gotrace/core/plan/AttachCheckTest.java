package dev.gotrace.core.plan;

import dev.gotrace.core.spec.ArgsSpec;
import dev.gotrace.core.spec.FuncsSpec;
import dev.gotrace.core.spec.GoroutinesSpec;
import dev.gotrace.core.spec.LatencySpec;
import dev.gotrace.core.trace.Session;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The last check before attach, without root: what every planner makes passes it; a plan built
 * by hand with an address in the middle of an instruction, outside every function, with a wrong
 * file offset or made from another file is refused — by {@link AttachCheck} itself and by each
 * tracer's {@code attach}, before anything touches the kernel (so these run without privileges).
 */
class AttachCheckTest {
  static final List<NamePattern> MAIN = List.of(NamePattern.parse("main.*"));

  static Path workload(String series, String variant) {
    return TestBinaries.get(series, "amd64", variant, "workload").path();
  }

  @TestFactory
  Stream<DynamicTest> everyPlannersProbesPass() {
    List<Path> bins = new ArrayList<>();
    for (String v : List.of("default", "pie", "extlink", "stripped")) {
      bins.add(workload("go1.24", v));
    }
    bins.add(workload("go1.15", "default"));
    bins.add(workload("go1.27", "default"));
    bins.add(workload("go1.27", "pie"));
    return bins.stream().map(bin -> DynamicTest.dynamicTest(TestBinaries.cacheDir().relativize(bin).toString(), () -> {
      try (GoBinary b = GoBinary.open(bin)) {
        Planner entries = new Planner(Arch.AMD64, Planner.DEFAULT_MAX_SITES);
        ProbePlan funcs = entries.plan(b, MAIN);
        ArgsPlan args = new ArgsPlanner(entries, ArgsPlanner.DEFAULT_STRSIZE).plan(b, MAIN);
        LatencyPlan lat = new LatencyPlanner(Planner.DEFAULT_MAX_SITES).plan(b, MAIN);
        List<List<AttachCheck.Probe>> all = new ArrayList<>(List.of(funcs.probes(), args.probes(),
            lat.entryProbes(), lat.exitProbes()));
        if (b.goVersion().minor() <= 24) {
          all.add(new LaunchPlanner(Arch.AMD64).plan(b).probes());
        }
        for (List<AttachCheck.Probe> probes : all) {
          assertFalse(probes.isEmpty());
          assertEquals(probes, AttachCheck.check(b, bin, probes).probes());
        }
        assertTrue(args.probes().stream().anyMatch(p -> p.what().startsWith("the probe of main.add inlined into")),
            "the inlined copies are checked too: " + args.probes());
        assertTrue(lat.exitProbes().size() > lat.entryProbes().size());
      }
    }));
  }

  /**
   * No false refusal: the probe entry and every exit of every function that decodes, in whole
   * servers (6,000-odd functions, the runtime's assembly included) of the oldest and newest Go
   * and an externally linked build, pass the check.
   */
  @TestFactory
  Stream<DynamicTest> everyFunctionOfAServerPasses() {
    return Stream.of("go1.15/default", "go1.24/extlink", "go1.27/default", "go1.27/pie").map(s -> DynamicTest.dynamicTest(s,
        () -> {
          Path bin = TestBinaries.get(s.split("/")[0], "amd64", s.split("/")[1], "server").path();
          try (GoBinary b = GoBinary.open(bin)) {
            List<AttachCheck.Probe> probes = new ArrayList<>();
            for (GoFunc f : b.functions()) {
              FunctionSites fs = b.sites(f);
              if (fs.status() == dev.gotrace.goelf.sites.SiteStatus.UNDECODABLE || fs.probeEntry().isEmpty()) {
                continue;
              }
              long at = fs.probeEntry().getAsLong();
              probes.add(new AttachCheck.Probe("the entry probe of " + f.name(), at, b.fileOffset(at).getAsLong(), 0));
              for (var e : fs.exits()) {
                probes.add(new AttachCheck.Probe("an exit of " + f.name(), e.address(),
                    b.fileOffset(e.address()).getAsLong(), 0));
              }
            }
            assertTrue(probes.size() > 10_000, "probes: " + probes.size());
            assertEquals(probes.size(), AttachCheck.check(b, bin, probes).probes().size());
          }
        }));
  }

  /** An address inside a decoded instruction of {@code f} longer than one byte. */
  static long midInstruction(GoBinary b, GoFunc f) throws Exception {
    long[] starts = b.sites(f).boundaries().starts().toArray();
    for (int i = 0; i + 1 < starts.length; i++) {
      if (starts[i + 1] - starts[i] > 1) {
        return starts[i] + 1;
      }
    }
    throw new AssertionError("no instruction longer than a byte in " + f.name());
  }

  /**
   * The start of {@code .text} when C code sits there before the first Go function (external
   * linking): executable, in the file, and in no function of the pclntab — where every probe lands
   * when the text start is taken from {@code .text} instead of {@code runtime.text}.
   */
  static java.util.OptionalLong beforeGoText(GoBinary b) {
    long text = b.elf().section(".text").orElseThrow().addr();
    long first = b.functions().stream().mapToLong(GoFunc::entry).min().orElseThrow();
    return text < first ? java.util.OptionalLong.of(text) : java.util.OptionalLong.empty();
  }

  static void refused(String expected, Executable attach) {
    PlanException.UnprovenSite e = assertThrows(PlanException.UnprovenSite.class, attach);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.hint().contains("nothing was attached") || e.hint().contains("same binary"), e.hint());
  }

  static ProbePlan withSite(ProbePlan p, long address, long fileOffset) {
    ProbeSite s = p.sites().get(0);
    return new ProbePlan(p.binary(), p.arch(), p.goVersion(), p.g(), p.goidOffset(), p.goidFromDwarf(),
        List.of(new ProbeSite(0, s.function(), s.entry(), address, fileOffset)), p.notes());
  }

  @TestFactory
  Stream<DynamicTest> funcsPlansWithABadAddressAreRefused() {
    return Stream.of("default", "pie", "extlink").map(v -> DynamicTest.dynamicTest(v, () -> {
      Path bin = workload("go1.24", v);
      try (GoBinary b = GoBinary.open(bin)) {
        ProbePlan good = new Planner(Arch.AMD64, 10).plan(b, List.of(NamePattern.parse("main.recurse")));
        ProbeSite s = good.sites().get(0);
        GoFunc recurse = b.function("main.recurse").orElseThrow();

        long mid = midInstruction(b, recurse);
        ProbePlan inside = withSite(good, mid, b.fileOffset(mid).getAsLong());
        String boundary = "the entry probe of main.recurse at 0x" + Long.toHexString(mid) + " in " + bin
            + ": not an instruction boundary of main.recurse decoded from its entry 0x" + Long.toHexString(recurse.entry());
        refused(boundary, () -> AttachCheck.check(b, bin, inside.probes()));
        refused(boundary, () -> Session.open(FuncsSpec.of(inside, b, 4096), b, List.of(), Set.of()));

        java.util.OptionalLong cCode = beforeGoText(b);
        assertEquals(v.equals("extlink"), cCode.isPresent(), "C code before the Go functions");
        if (cCode.isPresent()) {
          long c = cCode.getAsLong();
          ProbePlan outside = withSite(good, c, b.fileOffset(c).getAsLong());
          refused("0x" + Long.toHexString(c) + " in " + bin + ": the address lies outside every function of the pclntab",
              () -> Session.open(FuncsSpec.of(outside, b, 4096), b, List.of(), Set.of()));
        }
        // far outside: the ELF header, and an address no segment maps
        refused("outside every function", () -> Session.open(FuncsSpec.of(withSite(good, b.elf().segments().get(0).vaddr(), 0), b, 4096), b, List.of(), Set.of()));
        refused("outside every function", () -> Session.open(FuncsSpec.of(withSite(good, 0x7fff_0000_0000L, 0), b, 4096), b, List.of(), Set.of()));

        ProbePlan shifted = withSite(good, s.probeAddress(), s.fileOffset() + 0x1000);
        refused("file offset 0x" + Long.toHexString(s.fileOffset() + 0x1000)
                + ", but the program headers map the address to 0x" + Long.toHexString(s.fileOffset()),
            () -> Session.open(FuncsSpec.of(shifted, b, 4096), b, List.of(), Set.of()));
        // the usual slip: the virtual address given as the file offset (they differ in these builds)
        if (s.probeAddress() != s.fileOffset()) {
          refused("file offset", () -> Session.open(FuncsSpec.of(withSite(good, s.probeAddress(), s.probeAddress()), b, 4096), b, List.of(), Set.of()));
        }
        // the good plan passes the check (and would go on to the kernel)
        assertEquals(1, AttachCheck.check(b, bin, good.probes()).probes().size());
      }
    }));
  }

  @Test
  void aPlanOfAnotherFileIsRefused() throws Exception {
    Path bin = workload("go1.24", "default");
    Path other = workload("go1.24", "pie");
    try (GoBinary b = GoBinary.open(bin)) {
      ProbePlan p = new Planner(Arch.AMD64, 10).plan(b, List.of(NamePattern.parse("main.recurse")));
      ProbePlan elsewhere = new ProbePlan(other, p.arch(), p.goVersion(), p.g(), p.goidOffset(), p.goidFromDwarf(),
          p.sites(), p.notes());
      refused("the plan was made from " + bin + ", another file",
          () -> Session.open(FuncsSpec.of(elsewhere, b, 4096), b, List.of(), Set.of()));
    }
  }

  @Test
  void argsLatencyAndGoroutinesRefuseABadExitOrInlinedCopy() throws Exception {
    Path bin = workload("go1.24", "default");
    try (GoBinary b = GoBinary.open(bin)) {
      Planner entries = new Planner(Arch.AMD64, 10);
      GoFunc recurse = b.function("main.recurse").orElseThrow();
      long mid = midInstruction(b, recurse);
      long midOff = b.fileOffset(mid).getAsLong();

      // args: each kind of site, the others left as planned
      ArgsPlan args = new ArgsPlanner(entries, 64).plan(b, List.of(NamePattern.parse("main.recurse"),
          NamePattern.parse("main.add")));
      for (ArgsPlan.Kind kind : List.of(ArgsPlan.Kind.ENTRY, ArgsPlan.Kind.RETURN, ArgsPlan.Kind.INLINED)) {
        List<ArgsPlan.ArgsSite> sites = new ArrayList<>(args.sites());
        int i = sites.indexOf(sites.stream().filter(s -> args.blocks().get(s.block()).kind() == kind).findFirst()
            .orElseThrow());
        ArgsPlan.ArgsSite s = sites.get(i);
        long at = kind == ArgsPlan.Kind.INLINED ? midInstruction(b, b.funcForPc(s.address()).orElseThrow()) : mid;
        sites.set(i, new ArgsPlan.ArgsSite(s.index(), s.block(), at, b.fileOffset(at).getAsLong()));
        ArgsPlan bad = new ArgsPlan(args.base(), args.stackHiOffset(), args.strsize(), args.functions(),
            args.blocks(), sites, args.notes());
        String what = switch (kind) {
          case ENTRY -> "the entry probe of main.recurse";
          case RETURN -> "a return probe of main.recurse";
          default -> "the probe of main.add inlined into main.inlineUser at main.go:";
        };
        refused(what, () -> Session.open(ArgsSpec.of(bad, b, 4096), b, List.of(), Set.of()));
        refused("not an instruction boundary", () -> Session.open(ArgsSpec.of(bad, b, 4096), b, List.of(), Set.of()));
      }

      // latency: one exit in the middle of an instruction
      LatencyPlan lat = new LatencyPlanner(10).plan(b, List.of(NamePattern.parse("main.recurse")));
      LatencyPlan.Function f = lat.functions().get(0);
      List<LatencyPlan.Exit> exits = new ArrayList<>(f.exits());
      exits.set(exits.size() - 1, new LatencyPlan.Exit(new LatencyPlan.Site(mid, midOff), exits.get(0).kind()));
      LatencyPlan badLat = new LatencyPlan(lat.binary(), lat.g(), lat.stackHiOffset(), lat.goidOffset(),
          List.of(new LatencyPlan.Function(0, f.name(), f.entry(), exits)), lat.notes());
      refused("an exit probe (ret) of main.recurse at 0x" + Long.toHexString(mid),
          () -> Session.open(LatencySpec.of(badLat, 16, OptionalLong.empty(), false), b, List.of(), Set.of()));
      // and its entry with a wrong file offset
      LatencyPlan badEntry = new LatencyPlan(lat.binary(), lat.g(), lat.stackHiOffset(), lat.goidOffset(),
          List.of(new LatencyPlan.Function(0, f.name(),
              new LatencyPlan.Site(f.entry().address(), f.entry().fileOffset() + 1), f.exits())), lat.notes());
      refused("the entry probe of main.recurse", () -> Session.open(LatencySpec.of(badEntry, 16, OptionalLong.empty(), false), b, List.of(), Set.of()));

      // goroutines: newproc1's exit moved into an instruction
      LaunchPlan launch = new LaunchPlanner(Arch.AMD64).plan(b);
      GoFunc newproc1 = b.function(LaunchPlanner.NEWPROC1).orElseThrow();
      long m = midInstruction(b, newproc1);
      List<LaunchSite> ls = new ArrayList<>(launch.sites());
      ls.set(1, new LaunchSite(1, true, m, b.fileOffset(m).getAsLong()));
      LaunchPlan badLaunch = new LaunchPlan(launch.binary(), launch.goVersion(), launch.goidOffset(),
          launch.goidFromDwarf(), launch.layout(), ls, launch.notes());
      refused("an exit probe of runtime.newproc1 at 0x" + Long.toHexString(m),
          () -> Session.open(GoroutinesSpec.of(badLaunch, b, 4096), b, List.of(), Set.of()));
    }
  }

  /**
   * The failure that put probes inside instructions (issue 14): a distro build (external link,
   * stripped) whose pclntab header says nothing of runtime.text, here Go 1.24's with that word
   * zeroed, as Go 1.26 leaves it. Whatever goelf makes of it, no wrong address gets through: the
   * binary or the plan is refused, or the plan's addresses are the intact binary's and pass the
   * check, or the check refuses them. Before goelf read the module data it took .text's start and
   * the check refused the shifted functions as out of step with their pclntab; now runtime.text
   * comes from the module data and the plan is the intact binary's.
   */
  @Test
  void aZeroedTextWordNeverYieldsAWrongAddress() throws Exception {
    Path bin = workload("go1.24", "distro");
    byte[] image = java.nio.file.Files.readAllBytes(bin);
    try (GoBinary intact = GoBinary.open(bin)) {
      // Go 1.18+ header: magic(4) pad(2) minLC(1) ptrSize(1) nfunc(8) nfiles(8) textStart(8)
      int word = Math.toIntExact(intact.elf().section(".gopclntab").orElseThrow().offset() + 24);
      java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      assertEquals(intact.textStart(), bb.getLong(word), "runtime.text in the header");
      bb.putLong(word, 0);
      Planner planner = new Planner(Arch.AMD64, Planner.DEFAULT_MAX_SITES);
      List<AttachCheck.Probe> good = planner.plan(intact, MAIN).probes();
      List<AttachCheck.Probe> lat = new LatencyPlanner(Planner.DEFAULT_MAX_SITES).plan(intact, MAIN).exitProbes();
      String outcome;
      try (GoBinary damaged = GoBinary.of(image, bin)) {
        ProbePlan p = planner.plan(damaged, MAIN);
        if (p.probes().equals(good)) {
          assertEquals(good, AttachCheck.check(damaged, bin, p.probes()).probes());
          LatencyPlan l = new LatencyPlanner(Planner.DEFAULT_MAX_SITES).plan(damaged, MAIN);
          assertEquals(lat, AttachCheck.check(damaged, bin, l.exitProbes()).probes());
          outcome = "the same plan as the intact binary's (text start found elsewhere)";
        } else {
          PlanException.UnprovenSite e = assertThrows(PlanException.UnprovenSite.class,
              () -> Session.open(FuncsSpec.of(p, damaged, 4096), damaged, List.of(), Set.of()));
          assertTrue(e.getMessage().contains("out of step with the pclntab")
              || e.getMessage().contains("not an instruction boundary")
              || e.getMessage().contains("outside every function"), e.getMessage());
          outcome = "refused before attach: " + e.getMessage();
        }
      } catch (dev.gotrace.goelf.GoBinaryException | PlanException e) {
        outcome = "refused while reading or planning: " + e.getMessage();
      }
      System.out.println(bin + " with runtime.text zeroed: " + outcome);
    }
  }

  /**
   * A decode that succeeds but is not the compiler's: main.recurse's {@code PUSHQ BP} (0x55, where
   * its probe entry is) turned into {@code PUSHQ $imm32} (0x68), which swallows the next four
   * bytes. The probe address still starts an instruction; the SP-delta table, which changes right
   * after the one-byte push, now changes inside one, and the check refuses what it cannot trust.
   */
  @Test
  void aDecodeOutOfStepWithThePclntabIsRefused() throws Exception {
    Path bin = workload("go1.24", "default");
    byte[] image = java.nio.file.Files.readAllBytes(bin);
    try (GoBinary intact = GoBinary.open(bin)) {
      ProbePlan p = new Planner(Arch.AMD64, 10).plan(intact, List.of(NamePattern.parse("main.recurse")));
      ProbeSite s = p.sites().get(0);
      assertEquals(0x55, image[Math.toIntExact(s.fileOffset())] & 0xff, "PUSHQ BP at the probe entry");
      image[Math.toIntExact(s.fileOffset())] = 0x68;
      try (GoBinary damaged = GoBinary.of(image, bin)) {
        refused("the entry probe of main.recurse at 0x" + Long.toHexString(s.probeAddress()) + " in " + bin
                + ": the decode of main.recurse from its entry 0x" + Long.toHexString(s.entry())
                + " is out of step with the pclntab: its SP-delta table changes at 0x"
                + Long.toHexString(s.probeAddress() + 1) + ", inside an instruction",
            () -> Session.open(FuncsSpec.of(p, damaged, 4096), damaged, List.of(), Set.of()));
      }
    }
  }

  @Test
  void anUndecodableFunctionHasNoBoundary() throws Exception {
    Path bin = workload("go1.24", "default");
    try (GoBinary b = GoBinary.open(bin)) {
      // any function the decoder gives up on: none of its addresses can be probed
      for (GoFunc f : b.functions()) {
        FunctionSites s = b.sites(f);
        if (s.status() == dev.gotrace.goelf.sites.SiteStatus.UNDECODABLE) {
          refused("does not decode from its entry", () -> AttachCheck.check(b, bin, List.of(
              new AttachCheck.Probe("the entry probe of " + f.name(), f.entry(), b.fileOffset(f.entry()).getAsLong(), 0))));
          return;
        }
      }
      System.out.println(bin + ": every function decodes; nothing undecodable to refuse");
    }
  }
}
