package dev.gotrace.cli;

import dev.gotrace.core.plan.ArgsPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the header of {@code gotrace args} says it traces: functions and their probes, lines and their copies. */
final class ArgsHeader {
  private ArgsHeader() {}

  /**
   * "arguments of 2 functions (5 probes, 1 of them at inlined copies)", "main.go:98 (1 probe)",
   * "main.go:112 (2 probes: one per copy)", joined by " and ".
   */
  static String what(ArgsPlan plan) {
    List<ArgsPlan.FunctionArgs> fns = plan.functions().stream().filter(f -> f.site().isEmpty()).toList();
    Map<String, Integer> lines = new LinkedHashMap<>();
    for (ArgsPlan.FunctionArgs f : plan.functions()) {
      if (!f.site().isEmpty()) {
        lines.merge(f.site().replaceFirst(" \\[\\d+/\\d+]$", ""), 1, Integer::sum);
      }
    }
    StringBuilder sb = new StringBuilder();
    if (!fns.isEmpty()) {
      long n = fns.stream().map(ArgsPlan.FunctionArgs::function).distinct().count();
      long copies = fns.stream().filter(f -> !f.inlinedInto().isEmpty()).count();
      long probes = plan.sites().size() - lines.values().stream().mapToInt(Integer::intValue).sum();
      sb.append("arguments of ").append(n).append(" function").append(n == 1 ? "" : "s").append(" (").append(probes)
          .append(" probes").append(copies > 0 ? ", " + copies + " of them at inlined copies" : "").append(')');
    }
    for (Map.Entry<String, Integer> l : lines.entrySet()) {
      if (sb.length() > 0) {
        sb.append(" and ");
      }
      int n = l.getValue();
      sb.append(l.getKey()).append(" (").append(n).append(n == 1 ? " probe)" : " probes: one per copy of its code)");
    }
    return sb.toString();
  }
}
