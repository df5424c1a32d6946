package dev.gotrace.cli.jfr;

import dev.gotrace.core.trace.KernelResources;
import java.lang.reflect.Field;
import jdk.jfr.Event;

/**
 * Places events on the recording's timeline at the traced process's time. {@code jdk.jfr} offers
 * no public way to give an event a start time other than "now" ({@code begin()}); a call read
 * from the ring buffer happened up to a poll interval (and, for a held-up reader, much) earlier.
 * The JDK instruments every {@link Event} subclass with the fields {@code startTime} and
 * {@code duration}, in JFR ticks, which {@code commit()} keeps when they are already set. This
 * class sets them: ticks are calibrated once against {@link System#nanoTime()} (by reading what
 * {@code begin()} stored), and on Linux both count nanoseconds of CLOCK_MONOTONIC — the clock the
 * BPF programs stamp records with — so a call's time maps exactly. When a JDK lacks those fields
 * the events are committed at read time and only their {@code startEpochNanos} field and
 * {@code latency} carry the call's time ({@link #exact()} is then false).
 */
final class Timeline {
  private final long wallMinusMono = KernelResources.wallClockOffsetNs();
  private final long ticksMinusMono;
  private final boolean exact;
  /** Per event class, its {startTime, duration} fields, looked up once (not per event). */
  private static final ClassValue<Field[]> TIME_FIELDS = new ClassValue<>() {
    @Override
    protected Field[] computeValue(Class<?> c) {
      try {
        return new Field[] {field(c, "startTime"), field(c, "duration")};
      } catch (NoSuchFieldException | RuntimeException e) {
        throw new IllegalStateException("cannot set the time of a JFR event " + c.getName(), e);
      }
    }
  };

  Timeline() {
    long offset = 0;
    boolean ok = true;
    try {
      Field start = field(GoCallEvent.class, "startTime");
      long best = Long.MAX_VALUE;
      for (int i = 0; i < 5; i++) {
        GoCallEvent probe = new GoCallEvent();
        long before = System.nanoTime();
        probe.begin();
        long after = System.nanoTime();
        if (after - before < best) {
          best = after - before;
          offset = start.getLong(probe) - (before + after) / 2;
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      ok = false;
    }
    this.ticksMinusMono = offset;
    this.exact = ok;
  }

  /** Whether events land at the call's time (false: at the time gotrace read them). */
  boolean exact() {
    return exact;
  }

  /** Gives {@code e} the start {@code startEpochNs} and the duration {@code durationNs} (at least 1 ns). */
  void place(Event e, long startEpochNs, long durationNs) {
    if (!exact) {
      return;
    }
    Field[] time = TIME_FIELDS.get(e.getClass());
    try {
      time[0].setLong(e, startEpochNs - wallMinusMono + ticksMinusMono);
      // commit() measures a zero duration up to now; a call seen only at its entry lasts 1 ns
      time[1].setLong(e, Math.max(1, durationNs));
    } catch (ReflectiveOperationException ex) {
      throw new IllegalStateException("cannot set the time of a JFR event", ex);
    }
  }

  private static Field field(Class<?> c, String name) throws NoSuchFieldException {
    Field f = c.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
