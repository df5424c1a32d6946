package dev.gotrace.bench;

import dev.gotrace.core.codegen.ArgsRecord;
import dev.gotrace.core.decode.ArgsDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.TypeNames;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.RecordLayout;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.goelf.match.NamePattern;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * User-space cost of one {@code gotrace args} call of the demo server's
 * {@code prepareAnswer(name string, year int, status int) string}: decoding its entry record
 * (a string and two ints as Go values) and its return record (a 72-byte string, cut at 64), and
 * pairing the two. Records as the eBPF program writes them.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ArgsDecodeBench {
  private ArgsDecoder decoder;
  private ByteBuffer entry;
  private ByteBuffer exit;

  @Setup
  public void plan() throws Exception {
    ArgsPlan plan;
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      plan = new ArgsPlanner(new Planner(Planner.DEFAULT_MAX_SITES), ArgsPlanner.DEFAULT_STRSIZE)
          .plan(b, List.of(NamePattern.parse("main.prepareAnswer")));
    }
    decoder = new ArgsDecoder(plan, TypeNames.none(), 0);
    ArgsPlan.ArgsSite in = plan.sites().get(0);
    ArgsPlan.ArgsSite out = plan.sites().stream()
        .filter(s -> plan.block(s.cookie()).kind() == ArgsPlan.Kind.RETURN).findFirst().orElseThrow();
    entry = record(plan, in);
    RecordLayout el = plan.block(in.cookie()).layout();
    string(entry, el, el.values().get(0).offset(), "GopherConRussia2020");
    entry.putLong(el.values().get(1).offset(), 2021);
    entry.putLong(el.values().get(2).offset(), 200);
    exit = record(plan, out);
    RecordLayout xl = plan.block(out.cookie()).layout();
    string(exit, xl, xl.values().get(0).offset(),
        "Hello, GopherConRussia2020! The year is 2021 and the site answered 200.\n");
  }

  private static ByteBuffer record(ArgsPlan p, ArgsPlan.ArgsSite site) {
    ByteBuffer b = ByteBuffer.allocate(p.block(site.cookie()).layout().size()).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(ArgsRecord.KTIME, 1_000_000);
    b.putLong(ArgsRecord.PID_TGID, 42L << 32 | 43);
    b.putLong(ArgsRecord.COOKIE, site.cookie());
    b.putLong(ArgsRecord.G, 0xc000001000L);
    b.putLong(ArgsRecord.GOID, 7);
    b.putLong(ArgsRecord.SP, 0xc0000ff000L);
    b.putLong(ArgsRecord.STACK_HI, 0xc000100000L);
    b.putLong(ArgsRecord.IP, site.address());
    return b;
  }

  private static void string(ByteBuffer b, RecordLayout l, int at, String s) {
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    b.putLong(at, 0xc000200000L);
    b.putLong(at + 8, raw.length);
    RecordLayout.Buffer buf = l.bufferAt(at).orElseThrow();
    b.put(buf.dataOffset(), raw, 0, Math.min(raw.length, buf.maxElems()));
  }

  /** One operation: a call and its return, decoded and paired. */
  @Benchmark
  public long callAndReturn() {
    Event.Entry c = (Event.Entry) decoder.decode(entry.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    Event.Return r = (Event.Return) decoder.decode(exit.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    return c.args().size() + r.latencyNs();
  }
}
