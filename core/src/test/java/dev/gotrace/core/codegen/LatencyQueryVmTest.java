package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.query.KeyLayout;
import dev.gotrace.core.query.KeyValue;
import dev.gotrace.core.spec.LatencySpec;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.vm.Call;
import dev.gotrace.probes.vm.Vm;
import dev.gotrace.probes.vm.VmHash;
import dev.gotrace.testdata.TestBinaries;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The latency programs of {@code main.prepareAnswer(name string, year int, status int)} (the Go
 * 1.24 server, register ABI: year in RCX) with {@code --by year} and {@code --where}, run in the
 * eBPF interpreter on staged calls: each key's count in the hash map, the calls past the cap in
 * the (other) row, a call rejected at the entry stored nowhere and its exit not counted as
 * unmatched.
 */
class LatencyQueryVmTest {
  private static final long G = 0xc000002000L, STACK_HI = 0xc000100000L, SP = 0xc0000ff000L;
  private static final int RSP = Arch.AMD64.stackPointer().ptRegsOffset();
  private static final int R14 = Arch.AMD64.gRegister().orElseThrow().ptRegsOffset();
  /** RCX in struct pt_regs (arch/x86/include/asm/ptrace.h): the third integer register, year after name's two words. */
  private static final int RCX = 88;

  /** The programs of one question, their maps in the interpreter, and the calls made so far. */
  static final class Staged {
    private final LatencyPlan plan;
    private final Vm vm;
    private final Program entry;
    private final Program exit;
    private final long entryCookie;
    private final long exitCookie;
    private long now = 1_000_000;

    Staged(Optional<String> where, Optional<String> by, int maxKeys) throws Exception {
      try (var b = dev.gotrace.goelf.GoBinary.open(TestBinaries.get("go1.24", "amd64", "default", "server").path())) {
        plan = new dev.gotrace.core.plan.LatencyPlanner(1000).plan(b,
            java.util.List.of(dev.gotrace.goelf.match.NamePattern.parse("main.prepareAnswer")),
            Optional.of(dev.gotrace.core.query.Question.parse(where, by, 64)), maxKeys);
      }
      vm = new Vm(LatencySpec.of(plan, 1024, OptionalLong.empty(), false).maps());
      entry = LatencyProgram.entryProbe(plan, OptionalLong.empty());
      exit = LatencyProgram.exitProbe(plan, OptionalLong.empty());
      entryCookie = plan.entryProbes().get(0).cookie();
      exitCookie = plan.exitProbes().stream().mapToLong(AttachCheck.Probe::cookie).findFirst().orElseThrow();
      vm.user().putLong(G + plan.stackHiOffset(), STACK_HI);
    }

    static byte[] ptRegs(long year) {
      ByteBuffer b = ByteBuffer.allocate(168).order(ByteOrder.LITTLE_ENDIAN);
      b.putLong(RSP, SP);
      b.putLong(R14, G);
      b.putLong(RCX, year);
      return b.array();
    }

    /** One call of {@code ns}: the entry with {@code year} in RCX, the exit with RCX clobbered. */
    private void call(long year, long ns) {
      vm.run(entry, Call.of(ptRegs(year)).withCookie(entryCookie).withKtime(now));
      vm.run(exit, Call.of(ptRegs(-1)).withCookie(exitCookie).withKtime(now + ns));
      now += 1_000_000;
    }

    private Map<Long, Long> counts() {
      Map<Long, Long> out = new TreeMap<>();
      KeyLayout layout = plan.query().orElseThrow().keysOf(0);
      for (VmHash.Entry e : vm.hash(KeyedAsm.BYKEY).entries()) {
        assertEquals(0, KeyLayout.function(e.key()));
        long year = ((KeyValue.IntKey) layout.decode(e.key()).get(0)).value();
        out.put(year, ByteBuffer.wrap(e.value()).order(ByteOrder.LITTLE_ENDIAN).getLong(KeyedAsm.COUNT * 8));
      }
      return out;
    }

    private long other(int slot) {
      return vm.array(KeyedAsm.BYOTHER).u64(0, slot * 8);
    }

    private long stat(int slot) {
      return vm.array(LatencyProgram.STATS).u64(0, slot * 8);
    }

  }

  @Test
  void eachKeyCountsItsCallsAndThoseBeyondTheCapAreOther() throws Exception {
    Staged t = new Staged(Optional.empty(), Optional.of("year"), 2);
    t.call(2021, 5000);
    t.call(2020, 300);
    t.call(2021, 70_000);
    t.call(2019, 5000);
    t.call(2018, 6000);
    t.call(2021, 5000);
    assertEquals(Map.of(2020L, 1L, 2021L, 3L), t.counts(), "the first two keys hold the table");
    assertEquals(2, t.other(KeyedAsm.COUNT), "2019 and 2018 found it full");
    assertEquals(11_000, t.other(KeyedAsm.SUM));
    assertEquals(5000, t.other(KeyedAsm.MIN));
    assertEquals(6000, t.other(KeyedAsm.MAX));
    assertEquals(2, t.vm.array(KeyedAsm.BYOTHER).u64(0, (KeyedAsm.FIRST_BUCKET + 12) * 8), "4096 <= 5000, 6000 < 8192");
    byte[] v2021 = t.vm.hash(KeyedAsm.BYKEY).entries().stream().filter(e -> t.counts().get(2021L) != null
        && ((KeyValue.IntKey) t.plan.query().get().keysOf(0).decode(e.key()).get(0)).value() == 2021).findFirst()
        .orElseThrow().value();
    ByteBuffer b = ByteBuffer.wrap(v2021).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(80_000, b.getLong(KeyedAsm.SUM * 8));
    assertEquals(70_000, b.getLong(KeyedAsm.MAX * 8));
    assertEquals(5000, b.getLong(KeyedAsm.MIN * 8));
    assertEquals(1, b.getLong((KeyedAsm.FIRST_BUCKET + 16) * 8), "70000 ns in bucket 16");
    assertEquals(6, t.stat(LatencyProgram.COUNT), "the function's own total counts every call");
    assertEquals(0, t.vm.hash(LatencyProgram.INFLIGHT).size());
  }

  @Test
  void aCallRejectedAtTheEntryIsStoredNowhereAndItsExitIsNotUnmatched() throws Exception {
    Staged t = new Staged(Optional.of("year >= 2021"), Optional.of("year"), 1024);
    t.vm.run(t.entry, Call.of(Staged.ptRegs(2019)).withCookie(t.entryCookie).withKtime(10));
    assertEquals(0, t.vm.hash(LatencyProgram.INFLIGHT).size(), "rejected before anything is stored");
    t.vm.run(t.exit, Call.of(Staged.ptRegs(-1)).withCookie(t.exitCookie).withKtime(20));
    assertEquals(0, t.stat(LatencyProgram.UNMATCHED));
    t.call(2021, 400);
    t.call(2020, 400);
    t.call(2022, 400);
    assertEquals(Map.of(2021L, 1L, 2022L, 1L), t.counts());
    assertEquals(2, t.stat(LatencyProgram.COUNT));
  }
}
