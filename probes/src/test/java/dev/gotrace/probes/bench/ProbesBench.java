package dev.gotrace.probes.bench;

import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.link.AttachMode;
import dev.gotrace.probes.link.UprobeLink;
import dev.gotrace.probes.link.UprobeSite;
import dev.gotrace.probes.link.Uprobes;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.support.ElfSymbols;
import dev.gotrace.probes.support.Tracer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmarks (plain main, run as root by {@code probes/bench/run.sh}):
 * <ol>
 *   <li>attach + detach time for 1, 100, 1,000 and 5,000 sites, uprobe_multi vs perf events, on
 *       function entries of a large Go binary that nothing runs (so no probe fires);</li>
 *   <li>ring-buffer consumer throughput: records produced by a uprobe on {@code main.hot} of the
 *       workload ({@code -mode loop}), consumed live; and the consumer alone, draining a ring
 *       the producer filled while the reader was idle.</li>
 * </ol>
 * Usage: {@code ProbesBench <many-functions Go binary> <workload binary>}.
 */
public final class ProbesBench {
  private ProbesBench() {}

  public static void main(String[] args) throws Exception {
    Path big = Path.of(args[0]);
    Path workload = Path.of(args[1]);
    String only = System.getProperty("bench.only", "attach,live,consumer");
    if (only.contains("attach")) {
      attachDetach(big);
    }
    if (only.contains("live")) {
      ringLive(workload);
    }
    if (only.contains("consumer")) {
      ringConsumerOnly(workload);
    }
  }

  private static void attachDetach(Path big) {
    List<Long> offsets = new ArrayList<>(ElfSymbols.functionOffsets(big).values());
    System.out.printf("attach/detach on %s (%d function entries)%n", big, offsets.size());
    System.out.printf("%-13s %6s %14s %14s%n", "mode", "sites", "attach ms", "detach ms");
    Program noop = Program.of(Insn.mov64(Reg.R0, 0), Insn.exit());
    for (AttachMode mode : AttachMode.values()) {
      try (LoadedProgram p = LoadedProgram.load("bench_noop", noop, mode.attachType(), Map.of())) {
        for (int n : sizes()) {
          List<UprobeSite> sites = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            sites.add(new UprobeSite(offsets.get(i), i));
          }
          // Perf-event detach waits an RCU tasks-trace grace period per site: few repetitions.
          int reps = mode == AttachMode.PERF_EVENT ? (n >= 1000 ? 1 : 3) : (n >= 1000 ? 5 : 11);
          double[] att = new double[reps];
          double[] det = new double[reps];
          for (int r = n >= 1000 ? 0 : -1; r < reps; r++) { // r = -1: warm-up
            long t0 = System.nanoTime();
            UprobeLink link = Uprobes.attach(p, big, sites, 0);
            long t1 = System.nanoTime();
            link.close();
            long t2 = System.nanoTime();
            if (r >= 0) {
              att[r] = (t1 - t0) / 1e6;
              det[r] = (t2 - t1) / 1e6;
            }
          }
          System.out.printf("%-13s %6d %14s %14s%n", mode, n, median(att), median(det));
          System.out.flush();
        }
      }
    }
  }

  private static int[] sizes() {
    return Arrays.stream(System.getProperty("bench.sizes", "1,100,1000,5000").split(","))
        .mapToInt(Integer::parseInt).toArray();
  }

  private static String median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return String.format("%.3f (min %.3f)", s[s.length / 2], s[0]);
  }

  /** Two workload processes (one per CPU here) feed the ring while a thread consumes it. */
  private static void ringLive(Path workload) throws Exception {
    int calls = 300_000;
    long hot = ElfSymbols.fileOffset(workload, "main.hot");
    try (Tracer t = new Tracer(AttachMode.UPROBE_MULTI, workload, List.of(new UprobeSite(hot, 1)), 0,
        1 << 24)) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong got = new AtomicLong();
      Thread consumer = new Thread(() -> {
        while (!stop.get()) {
          got.addAndGet(t.reader().poll(100, b -> { }));
        }
        got.addAndGet(t.reader().drain(b -> { }));
      });
      consumer.start();
      long t0 = System.nanoTime();
      Process a = start(workload, calls);
      Process b = start(workload, calls);
      a.waitFor(300, TimeUnit.SECONDS);
      b.waitFor(300, TimeUnit.SECONDS);
      long t1 = System.nanoTime();
      stop.set(true);
      consumer.join();
      double s = (t1 - t0) / 1e9;
      System.out.printf("ring buffer, live: %d records in %.2f s = %.0f records/s (producer-bound:"
          + " 2 processes x %d uprobe hits), drops %d%n", got.get(), s, got.get() / s, calls, t.drops());
    }
  }

  /** The producer fills a 64 MiB ring while nobody reads; then one drain is timed. */
  private static void ringConsumerOnly(Path workload) throws Exception {
    int calls = 1_000_000;
    long hot = ElfSymbols.fileOffset(workload, "main.hot");
    try (Tracer t = new Tracer(AttachMode.UPROBE_MULTI, workload, List.of(new UprobeSite(hot, 1)), 0,
        1 << 26)) {
      Process a = start(workload, calls / 2);
      Process b = start(workload, calls / 2);
      a.waitFor(300, TimeUnit.SECONDS);
      b.waitFor(300, TimeUnit.SECONDS);
      t.detach();
      long[] sum = new long[1];
      long t0 = System.nanoTime();
      int n = t.reader().drain(buf -> sum[0] += buf.getLong(0));
      long t1 = System.nanoTime();
      double s = (t1 - t0) / 1e9;
      System.out.printf("ring buffer, consumer only: %d records (16-byte payloads) drained in %.1f ms"
          + " = %.1f M records/s, %.0f MB/s of ring; drops %d%n", n, s * 1e3, n / s / 1e6,
          n * 24.0 / s / 1e6, t.drops());
    }
  }

  private static Process start(Path workload, int calls) throws IOException {
    return new ProcessBuilder(workload.toString(), "-mode", "loop", "-n", Integer.toString(calls))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
