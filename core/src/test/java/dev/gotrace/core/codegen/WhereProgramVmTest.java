package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.core.plan.EntryQuery;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.query.Question;
import dev.gotrace.core.spec.ArgsSpec;
import dev.gotrace.core.spec.FuncsSpec;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.probes.asm.Disassembler;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.vm.Call;
import dev.gotrace.probes.vm.Vm;
import dev.gotrace.testdata.TestBinaries;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * funcs and args with {@code --where}, run in the eBPF interpreter on staged probe hits of the
 * real plans of Go 1.24 binaries (register ABI): what a user would see is the records in the ring
 * buffer, one per call that passes, none for a rejected call, nor for its return. The programs'
 * listings are golden files (funcs-where.txt, args-where.txt; rewrite with
 * {@code -Dgotrace.updateGolden=true} after an intended change and review the diff).
 */
class WhereProgramVmTest {
  private static final long G = 0xc000002000L, SP = 0xc0000ff000L, NAME = 0xc000200000L;
  private static final Arch AMD64 = Arch.AMD64;

  private static Question where(String text) {
    return Question.parse(Optional.of(text), Optional.empty(), Question.DEFAULT_KEY_BYTES);
  }

  /** pt_regs with RSP, R14 = g, and the integer argument registers from RAX on. */
  private static byte[] regs(long... args) {
    ByteBuffer b = ByteBuffer.allocate(168).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(AMD64.stackPointer().ptRegsOffset(), SP);
    b.putLong(AMD64.gRegister().orElseThrow().ptRegsOffset(), G);
    for (int i = 0; i < args.length; i++) {
      b.putLong(AMD64.intArgRegisters().get(i).ptRegsOffset(), args[i]);
    }
    return b.array();
  }

  /** The spec's maps and the drop counter the session creates beside them (as DropCounter does). */
  private static Vm machine(TraceSpec spec) {
    List<MapSpec> maps = new java.util.ArrayList<>(spec.maps());
    maps.add(MapSpec.perCpuArray(spec.ring().orElseThrow().drops(), 8, 1));
    return new Vm(maps);
  }

  @Test
  void funcsWritesARecordOnlyForTheCallsThatPass() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.24", "amd64", "default", "server").path())) {
      ProbePlan plan = new Planner(Planner.DEFAULT_MAX_SITES).plan(bin, List.of(NamePattern.parse("main.prepareAnswer")));
      EntryQuery q = EntryQuery.compile(where("hasPrefix(name, \"Go\") && year >= 2021"), EntryQuery.scopes(bin, plan));
      TraceSpec spec = FuncsSpec.of(plan, Optional.of(q), bin, 1 << 16);
      FuncsProgramTest.golden("funcs-where.txt", Disassembler.listing(spec.programs().get(0).program()));
      AttachCheck.Probe probe = spec.programs().get(0).probes().get(0);
      assertEquals(1L << 32, probe.cookie(), "group 0 (1 in the cookie), site 0");
      Vm vm = machine(spec);
      vm.user().putString(NAME, "GopherCon").putLong(SP, 0x401234).putLong(G + plan.goidOffset(), 42);
      Object[][] calls = {{9, 2021, true}, {9, 2020, false}, {1, 2022, false}, {2, 2030, true}, {0, 2021, false}};
      int expected = 0;
      for (Object[] c : calls) {
        vm.run(spec.programs().get(0).program(), Call.of(regs(NAME, (int) c[0], (int) c[1], 200))
            .withCookie(probe.cookie()).withFuncIp(probe.address()));
        expected += (boolean) c[2] ? 1 : 0;
        assertEquals(expected, vm.ring(FuncsProgram.EVENTS).records().size(),
            "name " + "GopherCon".substring(0, (int) c[0]) + ", year " + c[1]);
      }
      for (byte[] r : vm.ring(FuncsProgram.EVENTS).records()) {
        ByteBuffer b = ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, b.getLong(CallRecord.COOKIE), "the record keeps the site index alone");
        assertEquals(42, b.getLong(CallRecord.GOID));
      }
    }
  }

  @Test
  void funcsWithoutWhereIsTodaysProgram() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.24", "amd64", "default", "server").path())) {
      ProbePlan plan = new Planner(Planner.DEFAULT_MAX_SITES).plan(bin, List.of(NamePattern.parse("main.*")));
      assertEquals(Disassembler.listing(FuncsProgram.generate(plan, OptionalLong.empty(), 1 << 16)),
          Disassembler.listing(FuncsSpec.of(plan, bin, 1 << 16).programs().get(0).program()));
      assertEquals(plan.probes(), FuncsSpec.of(plan, bin, 1 << 16).programs().get(0).probes());
    }
  }

  @Test
  void argsPrintsNeitherTheEntryNorTheReturnOfARejectedCall() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.24", "amd64", "default", "workload").path())) {
      ArgsPlan plan = new ArgsPlanner(new Planner(Planner.DEFAULT_MAX_SITES), 64)
          .plan(bin, List.of(NamePattern.parse("main.withError")));
      EntryQuery q = EntryQuery.compile(where("fail"), EntryQuery.scopes(bin, plan), plan.base().sites().size());
      TraceSpec spec = ArgsSpec.of(plan, Optional.of(q), bin, 1 << 16);
      FuncsProgramTest.golden("args-where.txt", Disassembler.listing(spec.programs().get(0).program()));
      List<AttachCheck.Probe> probes = spec.programs().get(0).probes();
      AttachCheck.Probe entry = probes.stream().filter(p -> p.what().startsWith("the entry")).findFirst().orElseThrow();
      AttachCheck.Probe ret = probes.stream().filter(p -> p.what().startsWith("a return")).findFirst().orElseThrow();
      Vm vm = machine(spec);
      vm.user().putLong(G + plan.stackHiOffset(), 0xc000100000L).putLong(G + plan.base().goidOffset(), 7);
      var program = spec.programs().get(0).program();

      vm.run(program, Call.of(regs(0)).withCookie(entry.cookie()).withFuncIp(entry.address())); // fail = false
      vm.run(program, Call.of(regs(0)).withCookie(ret.cookie()).withFuncIp(ret.address()));
      assertEquals(0, vm.ring(ArgsProgram.EVENTS).records().size(), "a rejected call: no entry, no return");

      vm.run(program, Call.of(regs(1)).withCookie(entry.cookie()).withFuncIp(entry.address())); // fail = true
      assertEquals(1, vm.hash(ArgsProgram.PASSED).size(), "the passed frame is marked");
      vm.run(program, Call.of(regs(0xc0001000L, 0xc0002000L)).withCookie(ret.cookie()).withFuncIp(ret.address()));
      List<byte[]> records = vm.ring(ArgsProgram.EVENTS).records();
      assertEquals(2, records.size(), "its entry and its return");
      assertEquals(0, vm.hash(ArgsProgram.PASSED).size(), "the return took the mark");
      ByteBuffer r = ByteBuffer.wrap(records.get(1)).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(ret.cookie(), r.getLong(ArgsRecord.COOKIE));
      assertEquals(7, r.getLong(ArgsRecord.GOID));

      vm.run(program, Call.of(regs(0)).withCookie(ret.cookie()).withFuncIp(ret.address()));
      assertEquals(2, vm.ring(ArgsProgram.EVENTS).records().size(), "a second return of the frame has no mark");
      assertEquals(entry.cookie(), ByteBuffer.wrap(records.get(0)).order(ByteOrder.LITTLE_ENDIAN).getLong(ArgsRecord.COOKIE));
    }
  }
}
