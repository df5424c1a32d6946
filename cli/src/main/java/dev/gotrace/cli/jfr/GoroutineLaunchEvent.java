package dev.gotrace.cli.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One goroutine launch (a call of runtime.newproc1), timed at newproc1's entry and exit. */
@Name(JfrRecorder.EVENT_PREFIX + JfrRecorder.GOROUTINE_LAUNCH)
@Label("Goroutine Launch")
@Category({"Go", "Goroutines"})
@Description("A go statement in the traced process: the new goroutine, what it runs, who made it and where")
@StackTrace(false)
final class GoroutineLaunchEvent extends Event {
  @Label("Function")
  @Description("What the new goroutine runs (the target of a compiler-made go wrapper)")
  String function;

  @Label("Wrapper")
  @Description("The compiler-made wrapper the runtime was given, when there is one")
  String wrapper;

  @Label("Creator Goroutine")
  long creator;

  @Label("Creation Site")
  @Description("The function and file:line of the go statement")
  String creationSite;

  @Label("New Goroutine")
  long newGoroutine;

  @Label("PID")
  int pid;

  @Label("Start (ns since epoch)")
  long startEpochNanos;
}
