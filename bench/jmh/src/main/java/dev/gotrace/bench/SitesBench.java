package dev.gotrace.bench;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Probe-site analysis (x86 decode of every instruction, stack-check prologue, exit sites) of all
 * {@code net/http} functions of the demo server: what {@code list --sites} and every tracing
 * command pay per matched function.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SitesBench {
  private GoBinary bin;
  private List<GoFunc> functions;

  @Setup
  public void open() throws Exception {
    bin = GoBinary.open(TestBinaries.demoServer());
    functions = bin.functions(NamePattern.parse("net/http.*"));
    long bytes = functions.stream().mapToLong(GoFunc::size).sum();
    System.out.println("net/http.*: " + functions.size() + " functions, " + bytes + " bytes of code");
  }

  @TearDown
  public void close() {
    bin.close();
  }

  /** One operation: the sites of every net/http function. */
  @Benchmark
  public int netHttpSites() throws Exception {
    int exits = 0;
    for (GoFunc f : functions) {
      exits += bin.sites(f).exits().size();
    }
    return exits;
  }
}
