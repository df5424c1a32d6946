package dev.gotrace.core.goroutines;

import dev.gotrace.core.decode.Event;

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
 *     worker(i)} in Go 1.17+, see {@link GoWrappers}); "" when {@code function} is not such a wrapper
 * @param site where the {@code go} statement is: function, file, line
 * @param newGoid the new goroutine's id (0 when the exit was not seen or g was unreadable)
 * @param durationNs how long newproc1 ran (exit − entry), 0 when the exit was not seen
 */
public record Launch(long wallNs, int pid, int tid, long creatorGoid, String function,
    String target, Event.Caller site, long newGoid, long durationNs) implements GoroutineEvent {

  /** What the goroutine runs, as a person reads it: the wrapper's target, else the function. */
  public String runs() {
    return target.isEmpty() ? function : target;
  }
}
