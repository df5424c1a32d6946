package dev.gotrace.core.profile;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folded stacks: one line per distinct stack, its frames outermost first separated by
 * {@code ;}, a space and its number of calls ({@code main.main;main.round;main.chainA;main.leaf 3}),
 * the input of {@code flamegraph.pl}, inferno and speedscope. Samples whose frames read alike are
 * one line; lines come most calls first. A {@code ;} or a line break inside a name (no Go
 * function has one) is written as {@code _}; the count follows the line's last space, so names
 * may hold spaces, as the bracketed frame of a cut stack does.
 */
public final class Folded {
  private Folded() {}

  /** Writes {@code profile} as folded stacks, weighted by calls. */
  public static void write(StackProfile profile, Writer out) throws IOException {
    for (Map.Entry<String, Long> e : lines(profile).entrySet()) {
      out.write(e.getKey() + " " + e.getValue() + "\n");
    }
    out.flush();
  }

  /** Each folded stack and its calls, most calls first (then by the text). */
  public static Map<String, Long> lines(StackProfile profile) {
    Map<String, Long> sums = new LinkedHashMap<>();
    for (StackProfile.Sample s : profile.samples()) {
      StringBuilder b = new StringBuilder();
      for (String name : StackProfile.names(s)) {
        if (b.length() > 0) {
          b.append(';');
        }
        b.append(name.replace(';', '_').replace('\n', '_').replace('\r', '_'));
      }
      sums.merge(b.toString(), s.calls(), Long::sum);
    }
    Map<String, Long> out = new LinkedHashMap<>();
    sums.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
