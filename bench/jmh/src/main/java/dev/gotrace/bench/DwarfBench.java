package dev.gotrace.bench;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.goelf.dwarf.GoDwarf;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Opening the demo server and indexing its DWARF (functions, parameters, types, inlined copies):
 * what every tracing command pays before it can plan, warm.
 */
@Fork(1)
@Warmup(iterations = 12, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DwarfBench {
  @Benchmark
  public int openAndIndex() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      GoDwarf d = b.dwarf().orElseThrow();
      return d.functions().size() + d.typeCount();
    }
  }
}
