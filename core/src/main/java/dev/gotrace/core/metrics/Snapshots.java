package dev.gotrace.core.metrics;

import dev.gotrace.core.agg.CallCounts;
import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.KeyedLatency;
import dev.gotrace.core.agg.LaunchCounts;
import dev.gotrace.core.agg.Log2Histogram;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshots from each command's aggregates. Functions that share a name (two copies the linker
 * kept) are one series: their numbers are added. A function is in a snapshot from its first call
 * (or, for latency, its first call in flight or exit without entry) on: a pattern that matches
 * 68,000 functions exports the few that run, not 68,000 empty histograms. Its numbers only grow,
 * so once in, it stays.
 */
public final class Snapshots {
  private Snapshots() {}

  /** latency: calls, timings (per key with --by, the overflow as one {@code other} row) and states. */
  public static MetricsSnapshot latency(TargetInfo target, List<String> keyLabels, List<FunctionLatency> functions,
      List<KeyedLatency> keyed, long dropped) {
    Map<String, Log2Histogram> byName = new LinkedHashMap<>();
    Map<String, long[]> states = new LinkedHashMap<>();
    for (FunctionLatency f : functions) {
      byName.merge(f.function(), f.histogram(), Log2Histogram::plus);
      long[] s = states.computeIfAbsent(f.function(), k -> new long[3]);
      s[0] += f.inFlight();
      s[1] += f.unmatchedExits();
      s[2] += f.neverExited();
    }
    byName.keySet().removeIf(name -> byName.get(name).count() == 0 && states.get(name)[0] == 0
        && states.get(name)[1] == 0 && states.get(name)[2] == 0);
    states.keySet().retainAll(byName.keySet());
    List<MetricsSnapshot.Calls> calls = new ArrayList<>();
    byName.forEach((name, h) -> calls.add(new MetricsSnapshot.Calls(name, h.count())));
    List<MetricsSnapshot.State> st = new ArrayList<>();
    states.forEach((name, s) -> st.add(new MetricsSnapshot.State(name, s[0], s[1], s[2])));
    List<MetricsSnapshot.Timing> timings = new ArrayList<>();
    if (keyLabels.isEmpty()) {
      byName.forEach((name, h) -> timings.add(new MetricsSnapshot.Timing(name, List.of(), false, h)));
    } else {
      List<String> other = Collections.nCopies(keyLabels.size(), MetricLabels.OTHER);
      Map<List<Object>, MetricsSnapshot.Timing> rows = new LinkedHashMap<>();
      for (KeyedLatency k : keyed) {
        List<String> key = k.other() ? other : k.key().stream().map(MetricLabels::value).toList();
        if (key.size() != keyLabels.size()) {
          throw new IllegalArgumentException(k.function() + ": a key of " + key.size() + " parts for "
              + keyLabels.size() + " labels");
        }
        MetricsSnapshot.Timing t = new MetricsSnapshot.Timing(k.function(), key, k.other(), k.histogram());
        rows.merge(List.of(k.function(), key, k.other()), t,
            (a, b) -> new MetricsSnapshot.Timing(a.function(), a.key(), a.other(), a.histogram().plus(b.histogram())));
      }
      timings.addAll(rows.values());
    }
    return new MetricsSnapshot(target, keyLabels, calls, timings, st, List.of(), dropped);
  }

  /** funcs: calls per function called so far, and lost records. */
  public static MetricsSnapshot funcs(TargetInfo target, CallCounts counts) {
    List<MetricsSnapshot.Calls> calls = counts.rows().stream().filter(r -> r.calls() > 0)
        .map(r -> new MetricsSnapshot.Calls(r.function(), r.calls())).toList();
    return new MetricsSnapshot(target, List.of(), calls, List.of(), List.of(), List.of(), counts.lost());
  }

  /** goroutines: launches per function the goroutine runs, and lost records. */
  public static MetricsSnapshot goroutines(TargetInfo target, LaunchCounts counts) {
    List<MetricsSnapshot.Launches> launches = counts.byFunction().stream()
        .map(r -> new MetricsSnapshot.Launches(r.key(), r.launches())).toList();
    return new MetricsSnapshot(target, List.of(), List.of(), List.of(), List.of(), launches, counts.lost());
  }
}
