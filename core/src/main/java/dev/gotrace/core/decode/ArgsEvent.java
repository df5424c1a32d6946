package dev.gotrace.core.decode;

import java.util.List;

/** What {@code gotrace args} reports: calls with their arguments, returns with their results. */
public sealed interface ArgsEvent permits ArgsEvent.Call, ArgsEvent.Return, ArgsEvent.Lost {

  /** Wall-clock time in ns since the epoch. */
  long wallNs();

  /**
   * One decoded parameter or result.
   *
   * @param name the Go name ("~r0" for unnamed results, "arg0" without DWARF)
   * @param type the Go type's name
   * @param value the value in Go syntax, or a word in parentheses saying why it is not known
   */
  record Arg(String name, String type, String value) {}

  /**
   * A function was entered with these arguments.
   *
   * @param inlinedInto for an inlined copy, "F at file:line"; empty otherwise
   * @param argsKnown false when nothing is known of the arguments (an inlined copy that DWARF
   *     does not describe): {@code args} is then empty
   */
  record Call(long wallNs, int pid, int tid, long goid, String function, List<Arg> args, String inlinedInto,
      boolean argsKnown) implements ArgsEvent {
    public Call {
      args = List.copyOf(args);
    }

    public Call(long wallNs, int pid, int tid, long goid, String function, List<Arg> args) {
      this(wallNs, pid, tid, goid, function, args, "", true);
    }
  }

  /**
   * A function returned.
   *
   * @param results empty when {@code resultsKnown} is false (the function left by a tail call)
   * @param latencyNs time since the matching entry, -1 when the entry was not seen
   */
  record Return(long wallNs, int pid, int tid, long goid, String function, List<Arg> results,
      boolean resultsKnown, long latencyNs) implements ArgsEvent {
    public Return {
      results = List.copyOf(results);
    }
  }

  /** Records dropped because the ring buffer was full. */
  record Lost(long wallNs, long count) implements ArgsEvent {}
}
