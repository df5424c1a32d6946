package dev.gotrace.core.metrics;

import dev.gotrace.core.expr.ExprParser;
import dev.gotrace.core.query.KeyValue;
import dev.gotrace.core.query.Question;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Label names and values of exported series, in Prometheus' data model (which OTLP's receivers share). */
public final class MetricLabels {
  /** The labels gotrace itself sets: a {@code --by} part never takes one of these names. */
  public static final String FUNCTION = "function", BINARY = "binary", GO_VERSION = "go_version", PID = "pid";
  /** The value of every key label of the overflow series (calls past --max-keys). */
  public static final String OTHER = "(other)";
  /** The value of a key part the kernel could not read (nil pointer, unmapped memory). */
  public static final String UNREADABLE = "(unreadable)";

  private static final Set<String> RESERVED = Set.of(FUNCTION, BINARY, GO_VERSION, PID, "le", "quantile", "job",
      "instance", "service_name", "otel_scope_name", "otel_scope_version");

  private MetricLabels() {}

  /**
   * A label name per {@code --by} expression: its text with every run of characters outside
   * {@code [A-Za-z0-9_]} made one {@code _} ({@code r.URL.Path} is {@code r_URL_Path},
   * {@code err != nil} is {@code err_nil}); {@code by_} in front when that is empty, starts with a
   * digit or {@code __}, or is a name gotrace sets; {@code _2}, {@code _3}... after a repeat.
   */
  public static List<String> keyNames(List<String> expressions) {
    List<String> out = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (String e : expressions) {
      String n = e.replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("^_+(?!_)|_+$", "");
      if (n.isEmpty() || Character.isDigit(n.charAt(0)) || n.startsWith("__")
          || RESERVED.contains(n.toLowerCase(Locale.ROOT))) {
        n = "by_" + n;
      }
      String name = n;
      for (int i = 2; !used.add(name); i++) {
        name = n + "_" + i;
      }
      out.add(name);
    }
    return out;
  }

  /** The label names of a question's {@code --by} parts (empty without --by). */
  public static List<String> keyNames(Question q) {
    return keyNames(q.by().stream().map(ExprParser.Item::text).toList());
  }

  /**
   * A key part as a label value: numbers and bools as Go prints them, a string as its bytes
   * (a cut string ends in {@code …}), an unreadable part as {@link #UNREADABLE}. The exporters'
   * clients escape it.
   */
  public static String value(KeyValue k) {
    if (k instanceof KeyValue.StringKey s) {
      return s.cut() ? s.utf8() + "…" : s.utf8();
    }
    if (k instanceof KeyValue.Unreadable) {
      return UNREADABLE;
    }
    return k.text();
  }
}
