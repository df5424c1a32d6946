package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.RecordLayout;
import dev.gotrace.core.plan.ShowPlan;
import dev.gotrace.core.query.Shows;
import dev.gotrace.core.spec.ArgsSpec;
import dev.gotrace.core.spec.FuncsSpec;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.dwarf.PackageVariable;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.vm.Call;
import dev.gotrace.probes.vm.Vm;
import dev.gotrace.testdata.TestBinaries;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code --show} in the funcs and args programs of real plans, run in the eBPF interpreter over
 * staged user memory, and decoded as a user sees the event: the package variables' values at
 * their link addresses, and in a PIE at link address + (IP - the probe's link address).
 */
class ShowProgramVmTest {
  private static final long SP = 0xc0000ff000L, G = 0xc000002000L;

  private static long address(GoBinary bin, String name) throws Exception {
    return bin.packageVariables("main").stream().filter(v -> v.name().equals(name)).findFirst()
        .flatMap(v -> v.address().isPresent() ? Optional.of(v.address().getAsLong()) : Optional.empty()).orElseThrow();
  }

  private static byte[] regs(long ip) {
    ByteBuffer b = ByteBuffer.allocate(168).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(Arch.AMD64.stackPointer().ptRegsOffset(), SP);
    b.putLong(Arch.AMD64.gRegister().orElseThrow().ptRegsOffset(), G);
    b.putLong(Arch.AMD64.ptRegsPc(), ip);
    return b.array();
  }

  private static Vm machine(TraceSpec spec) {
    List<MapSpec> maps = new ArrayList<>(spec.maps());
    maps.add(MapSpec.perCpuArray(spec.ring().orElseThrow().drops(), 8, 1));
    return new Vm(maps);
  }

  @Test
  void funcsRecordsCarryTheValues() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.27", "amd64", "default", "look").path())) {
      ProbePlan plan = new Planner(Planner.DEFAULT_MAX_SITES).plan(bin, List.of(NamePattern.parse("main.handle")));
      RecordLayout shown = ShowPlan.funcs(bin, plan, Shows.parse("main.requests,main.cfg.Mode"), 64);
      TraceSpec spec = FuncsSpec.of(plan, Optional.empty(), shown, bin, 1 << 16);
      Vm vm = machine(spec);
      long mode = 0xc000300000L;
      vm.user().putLong(address(bin, "main.requests"), 41).putString(mode, "burst")
          .putLong(address(bin, "main.cfg"), mode).putLong(address(bin, "main.cfg") + 8, 5).putLong(SP, 0x401000);
      long probe = plan.sites().get(0).probeAddress();
      vm.run(spec.programs().get(0).program(), Call.of(regs(probe)).withCookie(0).withFuncIp(probe));
      byte[] record = vm.ring(FuncsProgram.EVENTS).records().get(0);
      Event.Call c = (Event.Call) spec.decoders().get().decode(ByteBuffer.wrap(record)).orElseThrow();
      assertEquals(List.of(new Event.Arg("main.requests", "int64", "41"), new Event.Arg("main.cfg.Mode", "string",
          "\"burst\"")), c.shown());
    }
  }

  @Test
  void argsInAPieReadThroughTheBias() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.24", "amd64", "pie", "workload").path())) {
      ArgsPlan plan = ShowPlan.args(bin, new ArgsPlanner(new Planner(Planner.DEFAULT_MAX_SITES), 64)
          .plan(bin, List.of(NamePattern.parse("main.recurse"))), Shows.parse("main.sink"));
      TraceSpec spec = ArgsSpec.of(plan, Optional.empty(), bin, 1 << 16);
      Vm vm = machine(spec);
      long bias = 0x7f00_1234_0000L;
      var entry = spec.programs().get(0).probes().stream().filter(p -> p.what().startsWith("the entry")).findFirst()
          .orElseThrow();
      vm.user().putLong(address(bin, "main.sink") + bias, 1234).putLong(address(bin, "main.sink"), 99);
      Program program = spec.programs().get(0).program();
      vm.run(program, Call.of(regs(entry.address() + bias)).withCookie(entry.cookie()).withFuncIp(entry.address() + bias));
      byte[] record = vm.ring(ArgsProgram.EVENTS).records().get(0);
      Event.Entry e = (Event.Entry) spec.decoders().get().decode(ByteBuffer.wrap(record)).orElseThrow();
      assertEquals(List.of(new Event.Arg("main.sink", "int", "1234")), e.shown());
      assertEquals(List.of("n"), e.args().stream().map(Event.Arg::name).toList());
    }
  }

  /** funcs in a PIE: every site of the one program finds its own link address, so every call reads the bias right. */
  @Test
  void funcsInAPieReadThroughEachSitesBias() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.24", "amd64", "pie", "workload").path())) {
      ProbePlan plan = new Planner(Planner.DEFAULT_MAX_SITES).plan(bin, List.of(NamePattern.parse("main.with*")));
      RecordLayout shown = ShowPlan.funcs(bin, plan, Shows.parse("main.sink"), 64);
      TraceSpec spec = FuncsSpec.of(plan, Optional.empty(), shown, bin, 1 << 16);
      long bias = 0x7f00_1234_0000L;
      org.junit.jupiter.api.Assertions.assertTrue(plan.sites().size() >= 5, plan.sites().toString());
      for (var site : plan.sites()) {
        Vm vm = machine(spec);
        vm.user().putLong(address(bin, "main.sink") + bias, 7000 + site.cookie()).putLong(address(bin, "main.sink"), 99)
            .putLong(SP, 0x401000);
        long ip = site.probeAddress() + bias;
        vm.run(spec.programs().get(0).program(), Call.of(regs(ip)).withCookie(site.cookie()).withFuncIp(ip));
        Event.Call c = (Event.Call) spec.decoders().get().decode(ByteBuffer.wrap(vm.ring(FuncsProgram.EVENTS).records()
            .get(0))).orElseThrow();
        assertEquals(site.function(), c.function());
        assertEquals(List.of(new Event.Arg("main.sink", "int", "" + (7000 + site.cookie()))), c.shown(), site.function());
      }
    }
  }
}
