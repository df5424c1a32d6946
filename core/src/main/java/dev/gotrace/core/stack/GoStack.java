package dev.gotrace.core.stack;

import java.util.List;

/**
 * A Go call stack as gotrace saw it at one probe.
 *
 * @param frames innermost first: the probed function (or the line's function, with its inlined
 *     callees before it), then its callers
 * @param end why the walk stopped
 * @param endDetail for an early end, what it stopped at (a function's name), else ""
 */
public record GoStack(List<Frame> frames, End end, String endDetail) {
  /** No stack was asked for. */
  public static final GoStack NONE = new GoStack(List.of(), End.NOT_TAKEN, "");

  public GoStack {
    frames = List.copyOf(frames);
  }

  /** Why a walk of frame pointers stopped. */
  public enum End {
    /** No stack was asked for, or the record carried none. */
    NOT_TAKEN,
    /** It reached the goroutine's first function ({@code runtime.goexit}) or the main thread's. */
    COMPLETE,
    /** It reached the {@code --stack=N} depth first. */
    DEPTH,
    /** A function that keeps no frame pointer (assembly) broke the chain. */
    NO_FRAME_POINTER,
    /** The stack was switched by {@code runtime.morestack}. */
    MORESTACK,
    /** The probe fired on the system stack ({@code systemstack}, {@code mcall}, a signal). */
    SYSTEM_STACK,
    /** A frame pointer pointed at memory that could not be read, or a PC in no function. */
    UNREADABLE,
    /** The kernel's stack map was full: this stack was not recorded. */
    MAP_FULL
  }

  /** Whether this event carries a stack. */
  public boolean taken() {
    return end != End.NOT_TAKEN;
  }
}
