package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.agg.ValueHistogram;
import dev.gotrace.core.plan.HistPlan;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.query.HistQuery;
import dev.gotrace.core.query.KeyValue;
import dev.gotrace.core.query.Question;
import dev.gotrace.core.spec.HistSpec;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.probes.vm.Call;
import dev.gotrace.probes.vm.Vm;
import dev.gotrace.probes.vm.VmHash;
import dev.gotrace.testdata.TestBinaries;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@code --hist} program of real plans, run in the eBPF interpreter: every value lands in the
 * bucket {@link ValueHistogram#bucketOf} names (the rule the README documents), negative
 * integers and floats of every magnitude included, and count, sum, min, max and NaNs match.
 */
class HistProgramVmTest {
  private static final long SP = 0xc0000ff000L;

  private static HistPlan plan(GoBinary bin, String fn, String hist, Optional<String> by) throws Exception {
    ProbePlan base = new Planner(Planner.DEFAULT_MAX_SITES).plan(bin, List.of(NamePattern.parse(fn)));
    return HistPlan.compile(bin, base, Question.parse(Optional.empty(), by, 64), hist, HistQuery.parse(hist), 64);
  }

  private static long[] slots(VmHash h, byte[] key) {
    ByteBuffer v = ByteBuffer.wrap(h.get(key).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
    long[] s = new long[HistProgram.SLOTS];
    for (int i = 0; i < s.length; i++) {
      s[i] = v.getLong(8 * i);
    }
    return s;
  }

  @Test
  void signedIntegersInARegister() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.27", "amd64", "default", "look").path())) {
      HistPlan plan = plan(bin, "main.size", "v", Optional.empty());
      TraceSpec spec = HistSpec.of(plan);
      Vm vm = new Vm(spec.maps());
      long[] expect = new long[ValueHistogram.BUCKETS];
      Random rnd = new Random(7);
      long sum = 0;
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      long[] values = new long[400];
      for (int i = 0; i < values.length; i++) {
        int shift = rnd.nextInt(64);
        values[i] = i < 6 ? new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, -2}[i] : rnd.nextLong() >> shift;
      }
      for (long v : values) {
        ByteBuffer regs = ByteBuffer.allocate(168).order(ByteOrder.LITTLE_ENDIAN);
        regs.putLong(Arch.AMD64.stackPointer().ptRegsOffset(), SP);
        regs.putLong(Arch.AMD64.intArgRegisters().get(0).ptRegsOffset(), v);
        vm.run(spec.programs().get(0).program(), Call.of(regs.array()).withCookie(plan.cookie(0)));
        expect[ValueHistogram.bucketOf(v, false)]++;
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      byte[] key = new byte[plan.keySize()];
      ValueHistogram h = ValueHistogram.of("main.size", List.<KeyValue>of(), false, HistQuery.Kind.SIGNED,
          slots(vm.hash(HistProgram.HIST), key), HistProgram.FIRST_BUCKET);
      assertEquals(values.length, h.count());
      assertEquals(sum, h.sum());
      assertEquals(Long.toString(min), h.min());
      assertEquals(Long.toString(max), h.max());
      assertEquals(Arrays.toString(expect), Arrays.toString(h.buckets()));
      assertEquals(1, h.buckets()[0], "Long.MIN_VALUE alone in the lowest bucket");
      assertEquals("[-9223372036854775807, -4611686018427387904]", ValueHistogram.label(HistQuery.Kind.SIGNED, 1));
    }
  }

  @Test
  void floatsOnTheStack() throws Exception {
    // Go 1.15: the stack ABI puts withFloat's x at 8(SP) at the entry, where a uprobe can read it.
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.15", "amd64", "default", "workload").path())) {
      HistPlan plan = plan(bin, "main.withFloat", "x", Optional.empty());
      assertEquals(HistQuery.Kind.FLOAT64, plan.of(0).kind());
      TraceSpec spec = HistSpec.of(plan);
      Vm vm = new Vm(spec.maps());
      double[] values = {0.0, -0.0, 1.0, 1.5, -1.5, 0x1p-31, 0x1p-32, -3e-300, Double.MIN_VALUE, 1e300, -1e300,
          Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 2.5, 1024.0, 0.75, 0x1p31, 0x1p32};
      long[] expect = new long[ValueHistogram.BUCKETS];
      long nan = 0;
      for (double x : values) {
        ByteBuffer regs = ByteBuffer.allocate(168).order(ByteOrder.LITTLE_ENDIAN);
        regs.putLong(Arch.AMD64.stackPointer().ptRegsOffset(), SP);
        vm.user().putLong(SP, 0x401234).putLong(SP + 8, Double.doubleToRawLongBits(x));
        vm.run(spec.programs().get(0).program(), Call.of(regs.array()).withCookie(plan.cookie(0)));
        int b = ValueHistogram.bucketOf(x);
        if (b < 0) {
          nan++;
        } else {
          expect[b]++;
        }
      }
      byte[] key = new byte[plan.keySize()];
      ValueHistogram h = ValueHistogram.of("main.withFloat", List.<KeyValue>of(), false, HistQuery.Kind.FLOAT64,
          slots(vm.hash(HistProgram.HIST), key), HistProgram.FIRST_BUCKET);
      assertEquals(1, h.nan());
      assertEquals(nan, h.nan());
      assertEquals(values.length - 1, h.count());
      assertEquals(Arrays.toString(expect), Arrays.toString(h.buckets()));
      assertEquals("-Infinity", h.min());
      assertEquals("Infinity", h.max());
      assertEquals("[1, 2)", ValueHistogram.label(HistQuery.Kind.FLOAT64, ValueHistogram.bucketOf(1.5)));
      assertEquals("[2^-31, 2^-30)", ValueHistogram.label(HistQuery.Kind.FLOAT64, ValueHistogram.bucketOf(0x1p-31)));
      assertEquals("(-2, -1]", ValueHistogram.label(HistQuery.Kind.FLOAT64, ValueHistogram.bucketOf(-1.5)));
    }
  }
}
