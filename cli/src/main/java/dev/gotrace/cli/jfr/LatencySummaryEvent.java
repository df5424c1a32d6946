package dev.gotrace.cli.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The kernel's latency aggregation of one function over the whole trace ({@code latency} without
 * {@code --calls}, which sees no individual calls); the event spans the traced time.
 */
@Name(JfrRecorder.EVENT_PREFIX + JfrRecorder.LATENCY_SUMMARY)
@Label("Go Latency Summary")
@Category({"Go", "Latency"})
@Description("Latency of one Go function over the traced time, aggregated in the kernel")
@StackTrace(false)
final class LatencySummaryEvent extends Event {
  @Label("Function")
  String function;

  @Label("Calls")
  long calls;

  @Label("Mean")
  @Timespan(Timespan.NANOSECONDS)
  long mean;

  @Label("P50")
  @Description("Estimated from the log2 buckets")
  @Timespan(Timespan.NANOSECONDS)
  long p50;

  @Label("P99")
  @Description("Estimated from the log2 buckets")
  @Timespan(Timespan.NANOSECONDS)
  long p99;

  @Label("Min")
  @Timespan(Timespan.NANOSECONDS)
  long min;

  @Label("Max")
  @Timespan(Timespan.NANOSECONDS)
  long max;

  @Label("In Flight")
  @Description("Calls entered and not yet returned at the end")
  long inFlight;
}
