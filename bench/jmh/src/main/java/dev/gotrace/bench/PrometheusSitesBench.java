package dev.gotrace.bench;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Probe-site analysis of every 16th function of Debian's stripped Prometheus (about 8,000
 * functions, the distribution's build of a 130,000-function binary): the per-function work of
 * {@code list --sites}. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} divided by the
 * instruction count printed at setup is the allocation per decoded instruction. The binary comes
 * from {@code bench_prometheus} in bench/lib.sh ({@code $GOTRACE_CACHE/bench/prometheus}).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PrometheusSitesBench {
  private GoBinary bin;
  private final List<GoFunc> functions = new ArrayList<>();

  @Setup
  public void open() throws Exception {
    Path p = TestBinaries.cacheDir().resolve("bench/prometheus/root/usr/bin/prometheus");
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " is missing: run bash -c 'source bench/lib.sh; bench_prometheus'");
    }
    bin = GoBinary.open(p);
    List<GoFunc> all = bin.functions();
    for (int i = 0; i < all.size(); i += 16) {
      functions.add(all.get(i));
    }
    long insns = 0;
    long bytes = 0;
    for (GoFunc f : functions) {
      FunctionSites s = bin.sites(f);
      insns += s.boundaries().count();
      bytes += f.size();
    }
    System.out.println("prometheus, every 16th function: " + functions.size() + " functions, "
        + bytes + " bytes of code, " + insns + " instructions per operation");
  }

  @TearDown
  public void close() {
    bin.close();
  }

  /** One operation: the sites of every selected function. */
  @Benchmark
  public int sites() throws Exception {
    int exits = 0;
    for (GoFunc f : functions) {
      exits += bin.sites(f).exits().size();
    }
    return exits;
  }
}
