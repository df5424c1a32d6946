package dev.gotrace.core.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.gotrace.core.codegen.CallRecord;
import dev.gotrace.core.codegen.StackAsm;
import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.GAccess;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The user-space half of {@code --stack} without the kernel: funcs records carrying stack ids,
 * decoded against map values laid out as {@link StackAsm} writes them, for a PIE-like load bias.
 */
class StackTableTest {
  static byte[] value(int end, long... pcs) {
    ByteBuffer b = ByteBuffer.allocate(StackAsm.valueWords(8) * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(end);
    for (long pc : pcs) {
      b.putLong(pc);
    }
    return b.array();
  }

  @Test
  void recordsNameTheirStackByIdAndEachIdIsReadOnce() throws Exception {
    TestBinary t = TestBinaries.get("go1.27", "amd64", "default", "look");
    try (GoBinary bin = GoBinary.open(t.path())) {
      GoFunc leaf = bin.function("main.leaf").orElseThrow();
      long probe = bin.tracedSites(leaf).probeEntry().orElseThrow();
      long inC = StackSymbolizerTest.returnAddress(bin, "main.chainC", "main.leaf");
      long goexit = bin.function("runtime.goexit").orElseThrow().entry() + 1;
      long bias = 0x5500_0000_0000L;
      long id = StackAsm.hash(new long[] {1, 2});
      Map<Long, byte[]> kernel = new HashMap<>();
      kernel.put(id, value(StackAsm.END_CHAIN, probe + bias, inC + bias, goexit + bias));
      int[] reads = new int[1];
      StackTable table = new StackTable(new StackSymbolizer(bin));
      table.use(k -> {
        reads[0]++;
        return Optional.ofNullable(kernel.get(k));
      });
      ProbePlan plan = new ProbePlan(t.path(), bin.arch(), bin.goVersion(),
          new GAccess.InRegister(bin.arch().gRegister().orElseThrow()), 152, true,
          List.of(new ProbeSite(0, "main.leaf", leaf.entry(), probe, 0)), List.of());
      CallDecoder d = new CallDecoder(plan, CallDecoder.Symbolizer.of(bin), 0, Optional.of(table));
      Event.Call first = d.decode(record(probe + bias, inC + bias, id));
      Event.Call second = d.decode(record(probe + bias, inC + bias, id));
      assertEquals(List.of("main.leaf", "main.wrap", "main.chainC"),
          first.stack().frames().stream().map(Frame::function).toList());
      assertEquals(List.of(false, true, false), first.stack().frames().stream().map(Frame::inlined).toList());
      assertEquals(List.of(probe, inC, inC), first.stack().frames().stream().map(Frame::pc).toList(), "link-time PCs");
      assertEquals(GoStack.End.COMPLETE, first.stack().end());
      assertSame(first.stack(), second.stack());
      assertEquals(1, reads[0], "one map read per distinct stack");

      assertEquals(GoStack.End.MAP_FULL, d.decode(record(probe + bias, inC + bias, 0)).stack().end());
      assertEquals(GoStack.End.UNREADABLE, d.decode(record(probe + bias, inC + bias, 77)).stack().end());
      ByteBuffer old = ByteBuffer.allocate(CallRecord.SIZE).order(ByteOrder.LITTLE_ENDIAN);
      old.put(record(probe, inC, id).array(), 0, CallRecord.SIZE).flip();
      assertEquals(GoStack.NONE, d.decode(old).stack(), "a record without a stack slot");
      assertEquals(List.of("main.leaf", "main.wrap", "main.chainC"),
          table.stackProbedAt(id, probe).frames().stream().map(Frame::function).toList());
    }
  }

  static ByteBuffer record(long ip, long ret, long stack) {
    ByteBuffer b = ByteBuffer.allocate(CallRecord.SIZE_WITH_STACK).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(CallRecord.KTIME, 1).putLong(CallRecord.PID_TGID, 7L << 32 | 7).putLong(CallRecord.COOKIE, 0)
        .putLong(CallRecord.RETURN, ret).putLong(CallRecord.IP, ip).putLong(CallRecord.STACK, stack);
    return b;
  }

  @Test
  void aMapValueParsesToItsPcsAndEnd() {
    assertEquals(new KernelStack(StackAsm.END_DEPTH, new long[] {5, 6}), KernelStack.parse(value(StackAsm.END_DEPTH, 5, 6)));
    assertEquals(KernelStack.UNREADABLE, KernelStack.parse(new byte[7]).end(), "not whole words");
    assertEquals(KernelStack.UNREADABLE, KernelStack.parse(value(99, 5)).end(), "an unknown end code");
    assertEquals(StackAsm.END_CHAIN, KernelStack.CHAIN);
    assertEquals(StackAsm.END_UNREADABLE, KernelStack.UNREADABLE);
    assertEquals(StackAsm.END_DEPTH, KernelStack.DEPTH);
    assertEquals(StackAsm.END_UNPROVEN, KernelStack.UNPROVEN);
  }
}
