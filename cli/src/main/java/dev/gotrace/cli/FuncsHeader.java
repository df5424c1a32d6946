package dev.gotrace.cli;

import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the header of {@code gotrace funcs} says it traces: "3 functions", "main.go:98 (1 probe)". */
final class FuncsHeader {
  private FuncsHeader() {}

  static String what(ProbePlan plan) {
    long n = plan.sites().stream().filter(s -> s.line().isEmpty()).count();
    Map<String, Integer> lines = new LinkedHashMap<>();
    for (ProbeSite s : plan.sites()) {
      s.line().ifPresent(l -> lines.merge(l.target(), 1, Integer::sum));
    }
    StringBuilder sb = new StringBuilder();
    if (n > 0 || lines.isEmpty()) {
      sb.append(n).append(" function").append(n == 1 ? "" : "s");
    }
    for (Map.Entry<String, Integer> l : lines.entrySet()) {
      if (sb.length() > 0) {
        sb.append(" and ");
      }
      sb.append(l.getKey()).append(" (").append(l.getValue())
          .append(l.getValue() == 1 ? " probe)" : " probes: one per copy of its code)");
    }
    return sb.toString();
  }
}
