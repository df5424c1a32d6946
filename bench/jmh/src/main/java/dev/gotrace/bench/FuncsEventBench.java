package dev.gotrace.bench;

import dev.gotrace.cli.render.CallRenderer;
import dev.gotrace.core.agg.CallCounts;
import dev.gotrace.core.codegen.CallRecord;
import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.TestBinaries;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * User-space cost of one {@code gotrace funcs} event on its hot path: a ring record of the demo
 * server's {@code main.*} probes decoded (caller resolved through the memo), counted and rendered
 * as a text line into a buffered writer, flushed every 256 events as after a poll batch. Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per event.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FuncsEventBench {
  private CallDecoder decoder;
  private ByteBuffer[] records;
  private CallRenderer renderer;
  private CallCounts counts;
  private int next;

  @Setup
  public void plan() throws Exception {
    ProbePlan plan;
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      plan = new Planner(Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse("main.*")));
    }
    // the symbolizer reads the binary lazily: keep one open for the benchmark's life
    GoBinary bin = GoBinary.open(TestBinaries.demoServer());
    decoder = new CallDecoder(plan, CallDecoder.Symbolizer.of(bin), 1_764_000_000_000_000_000L);
    List<ProbeSite> sites = plan.sites();
    records = new ByteBuffer[sites.size()];
    for (int i = 0; i < records.length; i++) {
      // as the ring hands them out: little-endian views of mapped memory
      ByteBuffer r = ByteBuffer.allocateDirect(CallRecord.SIZE).order(ByteOrder.LITTLE_ENDIAN);
      ProbeSite s = sites.get(i);
      r.putLong(CallRecord.KTIME, 1_000_000L * i);
      r.putLong(CallRecord.PID_TGID, 4242L << 32 | 4243);
      r.putLong(CallRecord.COOKIE, s.cookie());
      r.putLong(CallRecord.RETURN, sites.get((i + 1) % records.length).probeAddress() + 5);
      r.putLong(CallRecord.GOID, 17 + i);
      r.putLong(CallRecord.IP, s.probeAddress());
      records[i] = r;
    }
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(OutputStream.nullOutputStream())));
    renderer = CallRenderer.text(out, out, ZoneId.of("UTC"), 30);
    counts = new CallCounts(sites.stream().map(ProbeSite::function).distinct().toList());
  }

  @Benchmark
  public void decodeCountRender() {
    int i = next++;
    Event e = decoder.decode(records[i % records.length]);
    counts.add(e);
    renderer.event(e);
    if ((i & 255) == 0) {
      renderer.flush();
    }
  }
}
