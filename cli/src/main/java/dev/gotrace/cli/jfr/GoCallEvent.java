package dev.gotrace.cli.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One call of a Go function in the traced process. Its start time is the call's entry; its
 * duration the call's latency when the return was seen (0 for {@code funcs}, which sees entries
 * only).
 */
@Name(JfrRecorder.EVENT_PREFIX + JfrRecorder.GO_CALL)
@Label("Go Call")
@Category({"Go", "Calls"})
@Description("A call of a Go function in the traced process, timed at its entry (and exit, when seen)")
@StackTrace(false)
final class GoCallEvent extends Event {
  @Label("Function")
  String function;

  @Label("Goroutine")
  @Description("The goroutine id (goid) that made the call; 0 when it could not be read")
  long goroutine;

  @Label("PID")
  int pid;

  @Label("Thread")
  @Description("The OS thread (tid) the call ran on at its entry")
  int tid;

  @Label("Caller")
  @Description("The calling function and file:line, from the return address (funcs)")
  String caller;

  @Label("Arguments")
  @Description("The arguments as gotrace args prints them (name=value, ...)")
  String arguments;

  @Label("Results")
  @Description("The results as gotrace args prints them")
  String results;

  @Label("Exit Site")
  @Description("The exit instruction the call left through, as file:line (latency --calls)")
  String exitSite;

  @Label("Start (ns since epoch)")
  @Description("The entry time as gotrace read it from the kernel, in ns since the epoch")
  long startEpochNanos;

  @Label("Latency")
  @Timespan(Timespan.NANOSECONDS)
  @Description("From the entry probe to the exit probe; N/A (Long.MIN_VALUE) when the return was not seen")
  long latency;
}
