package dev.gotrace.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SnapshotExchangeTest {
  private static final TargetInfo T = TargetInfo.of(Path.of("server"), "go1.27.0", 0);

  private static MetricsSnapshot numbered(long n) {
    return new MetricsSnapshot(T, List.of(), List.of(), List.of(), List.of(), List.of(), n);
  }

  /** The owner's poll loop, offering {@code build} until {@code done}. */
  private static Thread owner(SnapshotExchange x, Supplier<MetricsSnapshot> build, AtomicBoolean done) {
    Thread t = new Thread(() -> {
      while (!done.get()) {
        x.offer(build);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "owner");
    t.start();
    return t;
  }

  @Test
  void nothingIsBuiltUntilAnExporterAsks() {
    SnapshotExchange x = new SnapshotExchange(numbered(0));
    AtomicInteger builds = new AtomicInteger();
    for (int i = 0; i < 10; i++) {
      x.offer(() -> numbered(builds.incrementAndGet()));
    }
    assertEquals(0, builds.get());
    assertEquals(0, x.last().droppedRecords());
  }

  @Test
  void anExporterGetsASnapshotBuiltAfterItAskedOnTheOwnersThread() throws Exception {
    SnapshotExchange x = new SnapshotExchange(numbered(0));
    AtomicInteger builds = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    Thread[] builtOn = new Thread[1];
    Thread o = owner(x, () -> {
      builtOn[0] = Thread.currentThread();
      return numbered(builds.incrementAndGet());
    }, done);
    try {
      for (int ask = 1; ask <= 3; ask++) {
        assertEquals(ask, x.snapshot().droppedRecords(), "ask " + ask + " gets the build made for it");
      }
      assertEquals(3, builds.get(), "one build per ask");
      assertSame(o, builtOn[0]);
    } finally {
      done.set(true);
      o.join();
    }
  }

  /** An exporter thread asking once; its answer in {@code got}. */
  private static Thread exporter(SnapshotExchange x, MetricsSnapshot[] got) {
    Thread t = new Thread(() -> got[0] = x.snapshot(), "exporter");
    t.start();
    return t;
  }

  /** Returns once {@code t} waits for the owner inside {@link SnapshotExchange#snapshot}. */
  private static void awaitWaiting(Thread t) throws InterruptedException {
    while (t.getState() != Thread.State.TIMED_WAITING) {
      assertTrue(t.isAlive(), "the exporter returned without waiting");
      Thread.sleep(1);
    }
  }

  @Test
  void anAskDuringABuildWaitsForTheNextOne() throws Exception {
    SnapshotExchange x = new SnapshotExchange(numbered(0));
    MetricsSnapshot[] a = new MetricsSnapshot[1];
    MetricsSnapshot[] b = new MetricsSnapshot[1];
    Thread first = exporter(x, a);
    awaitWaiting(first);
    Thread[] second = new Thread[1];
    x.offer(() -> {
      second[0] = exporter(x, b); // asks while the owner builds for the first
      try {
        awaitWaiting(second[0]);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      return numbered(1);
    });
    first.join();
    assertEquals(1, a[0].droppedRecords());
    assertTrue(second[0].isAlive(), "the second ask is not given the build that began before it");
    x.offer(() -> numbered(2));
    second[0].join();
    assertEquals(2, b[0].droppedRecords());
  }

  @Test
  void withoutTheOwnerAnExporterGetsTheLastSnapshotAfterTheWait() {
    SnapshotExchange x = new SnapshotExchange(numbered(7));
    long t0 = System.nanoTime();
    assertEquals(7, x.snapshot().droppedRecords());
    assertTrue(System.nanoTime() - t0 >= SnapshotExchange.WAIT_MS * 1_000_000L, "it waited for the owner");
  }

  @Test
  void closeReleasesAWaitingExporterWithTheFinalNumbersAndLaterOnesAtOnce() throws Exception {
    SnapshotExchange x = new SnapshotExchange(numbered(0));
    MetricsSnapshot[] got = new MetricsSnapshot[1];
    Thread waiting = exporter(x, got);
    awaitWaiting(waiting);
    x.close(numbered(42));
    waiting.join();
    assertEquals(42, got[0].droppedRecords());
    assertEquals(42, x.snapshot().droppedRecords());
    AtomicInteger builds = new AtomicInteger();
    x.offer(() -> numbered(builds.incrementAndGet()));
    assertEquals(0, builds.get(), "nothing is built after close");
    assertEquals(42, x.last().droppedRecords());
  }

  @Test
  void aBuildThatEndsAfterCloseDoesNotReplaceTheFinalNumbers() throws Exception {
    SnapshotExchange x = new SnapshotExchange(numbered(0));
    MetricsSnapshot[] got = new MetricsSnapshot[1];
    Thread waiting = exporter(x, got);
    awaitWaiting(waiting);
    x.offer(() -> {
      x.close(numbered(42)); // the trace ends while a snapshot is being built
      return numbered(1);
    });
    waiting.join();
    assertEquals(42, got[0].droppedRecords());
    assertEquals(42, x.snapshot().droppedRecords());
  }
}
