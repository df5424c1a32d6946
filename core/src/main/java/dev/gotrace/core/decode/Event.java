package dev.gotrace.core.decode;

import dev.gotrace.core.stack.GoStack;
import java.util.List;

/**
 * Everything a trace reports, whichever command runs it: one sealed model that every decoder
 * produces and every renderer consumes. {@code funcs} yields {@link Call}s, {@code args}
 * {@link Entry}s and {@link Return}s, {@code latency --stream} {@link Completed}s,
 * {@code goroutines} {@link Launch}es and {@link Exit}s; every command reports {@link Lost}
 * records the same way.
 */
public sealed interface Event
    permits Event.Call, Event.Entry, Event.Return, Event.Completed, Event.Launch, Event.Exit, Event.Lost {

  /** Wall-clock time in nanoseconds since the epoch. */
  long wallNs();

  /** The process (tgid) the event happened in; 0 for {@link Lost}. */
  int pid();

  /**
   * A function was entered.
   *
   * @param wallNs when, in ns since the epoch
   * @param pid the process (tgid)
   * @param tid the thread
   * @param goid the goroutine id (0 when g could not be read)
   * @param function the function entered (for a line probe, the function the line is in)
   * @param caller who called it
   * @param site "" for a function's entry; for a line probe the line as the user named it
   *     ("main.go:97"), with the copy when the line has several ("main.go:97 [2/3]")
   * @param shown the package variables of {@code --show}, read at this event, in the order asked
   * @param stack the Go call stack ({@code --stack}), else {@link GoStack#NONE}
   */
  record Call(long wallNs, int pid, int tid, long goid, String function, Caller caller, String site,
      List<Arg> shown, GoStack stack) implements Event {
    public Call {
      shown = List.copyOf(shown);
    }

    public Call(long wallNs, int pid, int tid, long goid, String function, Caller caller) {
      this(wallNs, pid, tid, goid, function, caller, "", List.of(), GoStack.NONE);
    }
  }

  /**
   * A function was entered with these arguments ({@code gotrace args}).
   *
   * @param inlinedInto for an inlined copy, "F at file:line"; empty otherwise
   * @param argsKnown false when nothing is known of the arguments (an inlined copy that DWARF
   *     does not describe): {@code args} is then empty
   * @param site "" for a function's entry; for a line probe the line as the user named it
   *     ("main.go:97"), with the copy when the line has several ("main.go:97 [2/3]"); {@code args}
   *     are then the variables live at that line
   * @param shown the package variables of {@code --show}, read at this event, in the order asked
   * @param stack the Go call stack ({@code --stack}), else {@link GoStack#NONE}
   */
  record Entry(long wallNs, int pid, int tid, long goid, String function, List<Arg> args, String inlinedInto,
      boolean argsKnown, String site, List<Arg> shown, GoStack stack) implements Event {
    public Entry {
      args = List.copyOf(args);
      shown = List.copyOf(shown);
    }

    public Entry(long wallNs, int pid, int tid, long goid, String function, List<Arg> args, String inlinedInto,
        boolean argsKnown) {
      this(wallNs, pid, tid, goid, function, args, inlinedInto, argsKnown, "", List.of(), GoStack.NONE);
    }

    public Entry(long wallNs, int pid, int tid, long goid, String function, List<Arg> args) {
      this(wallNs, pid, tid, goid, function, args, "", true);
    }
  }

  /**
   * A function returned ({@code gotrace args}).
   *
   * @param results empty when {@code resultsKnown} is false (the function left by a tail call)
   * @param latencyNs time since the matching entry, -1 when the entry was not seen
   */
  record Return(long wallNs, int pid, int tid, long goid, String function, List<Arg> results,
      boolean resultsKnown, long latencyNs) implements Event {
    public Return {
      results = List.copyOf(results);
    }
  }

  /**
   * One completed call, streamed by the latency exit probe.
   *
   * @param wallNs when it returned, ns since the epoch
   * @param pid the process
   * @param goid the goroutine id
   * @param function the function's Go name
   * @param functionEntry the function's probe entry address, its identity (two functions may share a name)
   * @param latencyNs from the entry probe to the exit probe
   * @param exitSite the exit instruction it left through (link-time address; 0 when unknown)
   * @param stack the Go call stack at the call's entry ({@code --stack}), else {@link GoStack#NONE}
   */
  record Completed(long wallNs, int pid, long goid, String function, long functionEntry, long latencyNs,
      long exitSite, GoStack stack)
      implements Event {
    public Completed(long wallNs, int pid, long goid, String function, long functionEntry, long latencyNs,
        long exitSite) {
      this(wallNs, pid, goid, function, functionEntry, latencyNs, exitSite, GoStack.NONE);
    }
  }

  /**
   * A goroutine launch: one call of {@code runtime.newproc1}, its entry and exit joined.
   *
   * @param wallNs when newproc1 was entered, in ns since the epoch
   * @param pid the process (tgid)
   * @param tid the thread
   * @param creatorGoid the id of the goroutine that ran the {@code go} statement (0 if unreadable)
   * @param function the function the new goroutine runs ("?" when the PC is unknown); a wrapper
   *     the compiler made for a {@code go f(args)} statement is named as such (e.g. {@code
   *     main.spawn.gowrap1} in Go 1.22+, {@code main.spawn.func1} in 1.17–1.21)
   * @param target the function a compiler-made wrapper calls ({@code main.worker} for {@code go
   *     worker(i)} in Go 1.17+, see {@code goroutines.GoWrappers}); "" when {@code function} is not
   *     such a wrapper
   * @param site where the {@code go} statement is: function, file, line
   * @param newGoid the new goroutine's id (0 when the exit was not seen or g was unreadable)
   * @param durationNs how long newproc1 ran (exit − entry), 0 when the exit was not seen
   */
  record Launch(long wallNs, int pid, int tid, long creatorGoid, String function,
      String target, Caller site, long newGoid, long durationNs) implements Event {

    /** What the goroutine runs, as a person reads it: the wrapper's target, else the function. */
    public String runs() {
      return target.isEmpty() ? function : target;
    }
  }

  /**
   * A goroutine ended: it entered {@code runtime.goexit1}, which every goroutine's last return
   * (and {@code runtime.Goexit}) reaches.
   *
   * @param wallNs when, in ns since the epoch
   * @param pid the process
   * @param tid the thread
   * @param goid the goroutine that ended
   * @param function what it ran, when its launch was seen ("" otherwise)
   * @param lifetimeNs from its launch to its end; -1 when it was launched before tracing began
   */
  record Exit(long wallNs, int pid, int tid, long goid, String function, long lifetimeNs) implements Event {}

  /**
   * Records the kernel could not deliver because the ring buffer was full, or (goroutines)
   * entries whose exit never came (a lost record leaves its half unmatched).
   *
   * @param wallNs when the loss was noticed
   * @param count how many records were lost since the last report
   */
  record Lost(long wallNs, long count) implements Event {
    @Override
    public int pid() {
      return 0;
    }
  }

  /**
   * One decoded parameter or result.
   *
   * @param name the Go name ("~r0" for unnamed results, "arg0" without DWARF)
   * @param type the Go type's name
   * @param value the value in Go syntax, or a word in parentheses saying why it is not known
   */
  record Arg(String name, String type, String value) {}

  /**
   * The caller of a call, from its return address.
   *
   * @param function the function containing the call ("?" when unknown)
   * @param file the source file of the call ("" when unknown)
   * @param line the line of the call (0 when unknown)
   * @param returnAddress the return address, as the process saw it
   */
  record Caller(String function, String file, int line, long returnAddress) {
    public static Caller unknown(long returnAddress) {
      return new Caller("?", "", 0, returnAddress);
    }
  }
}
