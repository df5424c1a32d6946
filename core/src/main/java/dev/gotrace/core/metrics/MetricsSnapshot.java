package dev.gotrace.core.metrics;

import dev.gotrace.core.agg.Log2Histogram;
import java.util.List;

/**
 * What one traced process exposes at one moment; every count is cumulative since its trace began.
 * A command fills the parts it measures: latency the calls, timings and states; funcs the calls;
 * goroutines the launches.
 *
 * @param target the labels common to every series
 * @param keyLabels the label name of each {@code --by} part, in order (empty without --by); see
 *     {@link MetricLabels#keyNames}
 * @param calls calls per function
 * @param timings latency per function, and with --by per function and key
 * @param states calls in flight, unmatched exits and calls that never exited, per function
 * @param launches goroutine launches per function the goroutine runs
 * @param droppedRecords records the kernel could not deliver (a full ring buffer)
 */
public record MetricsSnapshot(TargetInfo target, List<String> keyLabels, List<Calls> calls, List<Timing> timings,
    List<State> states, List<Launches> launches, long droppedRecords) {
  public MetricsSnapshot {
    keyLabels = List.copyOf(keyLabels);
    calls = List.copyOf(calls);
    timings = List.copyOf(timings);
    states = List.copyOf(states);
    launches = List.copyOf(launches);
  }

  /** Nothing measured yet (before the first snapshot of a run). */
  public static MetricsSnapshot empty(TargetInfo target, List<String> keyLabels) {
    return new MetricsSnapshot(target, keyLabels, List.of(), List.of(), List.of(), List.of(), 0);
  }

  /** Calls of one function (latency: completed calls; funcs: entries seen). */
  public record Calls(String function, long calls) {}

  /**
   * Latencies of one function, or of one function and {@code --by} key.
   *
   * @param key one label value per {@link #keyLabels} entry (empty without --by); for {@code other}
   *     every value is {@link MetricLabels#OTHER}
   * @param other the calls whose key found the kernel's key table full ({@code --max-keys}),
   *     counted without their key: the overflow
   */
  public record Timing(String function, List<String> key, boolean other, Log2Histogram histogram) {
    public Timing {
      key = List.copyOf(key);
    }
  }

  /** The in-progress and unmatched parts of one function's calls (latency). */
  public record State(String function, long inFlight, long unmatchedExits, long neverExited) {}

  /** Goroutines launched running one function (the wrapper's target for {@code go f(x)}). */
  public record Launches(String function, long launches) {}
}
