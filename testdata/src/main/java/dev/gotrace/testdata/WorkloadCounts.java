package dev.gotrace.testdata;

import java.util.Map;
import java.util.TreeMap;

/** Parses the "calls &lt;function&gt; &lt;count&gt;" lines the test programs print at exit. */
public final class WorkloadCounts {
  private WorkloadCounts() {}

  /** Function name to call count, from a test program's output. */
  public static Map<String, Long> parse(String output) {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : output.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length == 3 && f[0].equals("calls")) {
        counts.put(f[1], Long.parseLong(f[2]));
      }
    }
    return counts;
  }
}
