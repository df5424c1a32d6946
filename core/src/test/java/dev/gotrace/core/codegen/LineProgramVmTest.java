package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.decode.ArgsDecoder;
import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.TypeNames;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.core.spec.ArgsSpec;
import dev.gotrace.core.spec.FuncsSpec;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.vm.Call;
import dev.gotrace.probes.vm.Vm;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Line probes of look's loop body (Go 1.27), their programs run in the eBPF interpreter on a
 * staged hit (no root): funcs reads the return address at SP + the line's SP delta, which the
 * decoder turns into main.loop's caller; args copies each local from where DWARF places it there.
 */
class LineProgramVmTest {
  private static final long G = 0xc000002000L, SP = 0xc0000ff000L;
  private static final Arch AMD64 = Arch.AMD64;

  static String loopBody(TestBinary b) throws Exception {
    return "main.go:" + line(b, "// LOOP-BODY");
  }

  /** The line of look's main.go that ends with {@code text}. */
  static int line(TestBinary b, String text) throws Exception {
    List<String> src = Files.readAllLines(TestBinaries.sourcesOf(b).resolve("main.go"));
    for (int i = 0; i < src.size(); i++) {
      if (src.get(i).endsWith(text)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line ends with " + text);
  }

  private static Vm machine(TraceSpec spec) {
    List<MapSpec> maps = new ArrayList<>(spec.maps());
    maps.add(MapSpec.perCpuArray(spec.ring().orElseThrow().drops(), 8, 1));
    return new Vm(maps);
  }

  private static ByteBuffer regs() {
    ByteBuffer b = ByteBuffer.allocate(168).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(AMD64.stackPointer().ptRegsOffset(), SP);
    b.putLong(AMD64.gRegister().orElseThrow().ptRegsOffset(), G);
    return b;
  }

  @Test
  void funcsAtALineReadsTheReturnAddressAboveTheFrame() throws Exception {
    TestBinary t = TestBinaries.get("go1.27", "amd64", "default", "look");
    try (GoBinary bin = GoBinary.open(t.path())) {
      ProbePlan plan = new Planner(Planner.DEFAULT_MAX_SITES).planWithLines(bin, List.of(NamePattern.parse(loopBody(t))));
      ProbeSite site = plan.sites().get(0);
      long spDelta = site.line().orElseThrow().site().spDelta();
      assertTrue(spDelta > 0, "main.loop's body runs below its frame: " + spDelta);
      // A return address in main.round, on the line that calls main.loop.
      int callLine = line(t, "sink += loop(*iters)");
      long call = bin.tracedSites(bin.function("main.round").orElseThrow()).boundaries().starts()
          .filter(a -> {
            try {
              return bin.sourcePos(a).map(p -> p.line()).orElse(0) == callLine;
            } catch (Exception e) {
              return false;
            }
          }).max().orElseThrow();
      TraceSpec spec = FuncsSpec.of(plan, bin, 1 << 16);
      AttachCheck.Probe probe = spec.programs().get(0).probes().get(0);
      Vm vm = machine(spec);
      vm.user().putLong(SP, 0xdead).putLong(SP + spDelta, call).putLong(G + plan.goidOffset(), 7);
      vm.run(spec.programs().get(0).program(), Call.of(regs().array()).withCookie(probe.cookie()).withFuncIp(probe.address()));
      List<byte[]> recs = vm.ring(FuncsProgram.EVENTS).records();
      assertEquals(1, recs.size());
      ByteBuffer r = ByteBuffer.wrap(recs.get(0)).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(call, r.getLong(CallRecord.RETURN), "the word at SP + " + spDelta + ", not at SP");
      r.putLong(CallRecord.IP, site.probeAddress());
      Event.Call e = new CallDecoder(plan, CallDecoder.Symbolizer.of(bin), 0).decode(r);
      assertEquals("main.round", e.caller().function());
      assertEquals(callLine, e.caller().line());
      assertEquals(loopBody(t), e.site());
      assertEquals("main.loop", e.function());
    }
  }

  @Test
  void argsAtALineCopiesEachLocalFromItsPlace() throws Exception {
    TestBinary t = TestBinaries.get("go1.27", "amd64", "default", "look");
    try (GoBinary bin = GoBinary.open(t.path())) {
      ArgsPlan plan = new ArgsPlanner(new Planner(Planner.DEFAULT_MAX_SITES), 64)
          .plan(bin, List.of(NamePattern.parse(loopBody(t))));
      TraceSpec spec = ArgsSpec.of(plan, Optional.empty(), bin, 1 << 16);
      AttachCheck.Probe probe = spec.programs().get(0).probes().get(0);
      Vm vm = machine(spec);
      ByteBuffer regs = regs();
      Map<String, Long> want = Map.of("n", 10L, "i", 3L, "acc", 9L);
      List<ParamLayout> values = plan.functions().get(0).inputs();
      for (ParamLayout v : values) { // stage each value where DWARF says it is at the line
        ArgLocation where = v.pieces().get(0).where();
        if (where instanceof ArgLocation.InRegister reg) {
          regs.putLong(reg.register().ptRegsOffset(), want.get(v.name()));
        } else {
          vm.user().putLong(SP + ((ArgLocation.Stack) where).spOffset(), want.get(v.name()));
        }
      }
      vm.user().putLong(G + bin.gLayout().known().orElseThrow().goid(), 7);
      vm.run(spec.programs().get(0).program(), Call.of(regs.array()).withCookie(probe.cookie()).withFuncIp(probe.address()));
      List<byte[]> recs = vm.ring(ArgsProgram.EVENTS).records();
      assertEquals(1, recs.size());
      ByteBuffer r = ByteBuffer.wrap(recs.get(0)).order(ByteOrder.LITTLE_ENDIAN);
      r.putLong(ArgsRecord.IP, probe.address());
      Event.Entry e = (Event.Entry) new ArgsDecoder(plan, TypeNames.none(), 0).decode(r);
      assertEquals(Map.of("n", "10", "i", "3", "acc", "9"),
          e.args().stream().collect(Collectors.toMap(Event.Arg::name, Event.Arg::value)), values.toString());
      assertEquals(loopBody(t), e.site());
    }
  }
}
