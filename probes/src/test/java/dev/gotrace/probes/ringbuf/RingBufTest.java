package dev.gotrace.probes.ringbuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.link.AttachMode;
import dev.gotrace.probes.link.UprobeSite;
import dev.gotrace.probes.support.ElfSymbols;
import dev.gotrace.probes.support.FdLeakCheck;
import dev.gotrace.probes.support.Tracer;
import dev.gotrace.probes.support.Workload;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Drops are counted in the kernel and surfaced; records and drops add up to the hits. */
@ExtendWith(FdLeakCheck.class)
class RingBufTest {

  @Test
  void fullRingCountsDropsExactly() {
    TestBinaries.requireRoot();
    Path bin = Workload.binary();
    int n = 5_000;
    // One 4 KiB page holds 4096 / 24 = 170 records of 16 bytes (8-byte header each).
    try (Tracer t = new Tracer(AttachMode.UPROBE_MULTI, bin,
        List.of(new UprobeSite(ElfSymbols.fileOffset(bin, "main.hot"), 7)), 0, 4096)) {
      Workload.Result r = Workload.run("-mode", "loop", "-n", Integer.toString(n));
      assertEquals(0, r.exitCode());
      int delivered = t.drain();
      long drops = t.drops();
      assertEquals(n, t.count(7));
      assertEquals(n, delivered + drops, "delivered " + delivered + " + dropped " + drops);
      assertEquals(4096 / 24, delivered);
      assertEquals(0, t.reader().pending());
      assertEquals(delivered, t.reader().records());
    }
  }

  /**
   * 24-byte records through a 4 KiB ring wrap around it many times, and 4096 is not a multiple of
   * 24, so records straddle the end: the double mapping must make them read whole.
   */
  @Test
  void recordsWrapAroundTheRingEndIntact() throws InterruptedException {
    TestBinaries.requireRoot();
    Path bin = Workload.binary();
    int n = 3_000;
    try (Tracer t = new Tracer(AttachMode.UPROBE_MULTI, bin,
        List.of(new UprobeSite(ElfSymbols.fileOffset(bin, "main.hot"), 0x0123456789abcdefL)), 0, 4096)) {
      AtomicBoolean done = new AtomicBoolean();
      Thread consumer = new Thread(() -> {
        while (!done.get()) {
          t.poll(20);
        }
        t.drain();
      });
      consumer.start();
      Workload.Result r = Workload.run("-mode", "loop", "-n", Integer.toString(n));
      done.set(true);
      consumer.join();
      assertEquals(0, r.exitCode());
      long drops = t.drops();
      assertEquals(n, t.records().size() + drops, "records + drops");
      assertTrue(t.records().size() * 24L > 2 * 4096, "wrapped: " + t.records().size() + " records");
      assertTrue(t.records().stream().allMatch(x -> x.cookie() == 0x0123456789abcdefL && x.tgid() > 0),
          "every record intact");
      System.out.printf("wrap test: %d records, %d drops%n", t.records().size(), drops);
    }
  }

  /** poll waits in epoll when the ring is empty, but never longer than its bound. */
  @Test
  void pollWaitsBoundedWhenEmpty() {
    TestBinaries.requireRoot();
    Path bin = Workload.binary();
    try (Tracer t = new Tracer(AttachMode.UPROBE_MULTI, bin,
        List.of(new UprobeSite(ElfSymbols.fileOffset(bin, "main.hot"), 7)), 0, 4096)) {
      long start = System.nanoTime();
      assertEquals(0, t.poll(200));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms >= RingBufReader.MAX_WAIT_MS * 8 / 10, "waited " + ms + " ms in epoll");
      assertEquals(0, t.poll(-1), "no limit of the caller's still ends: the wait is bounded");
    }
  }

  /**
   * The program commits without a wakeup while the ring is at most an eighth full (512 of 4096
   * bytes), and forces one past it: epoll stays quiet for one record and reports the ring once
   * 101 records (2,424 bytes) are in.
   */
  @Test
  void wakesTheReaderOnlyPastTheFillThreshold() {
    TestBinaries.requireRoot();
    Path bin = Workload.binary();
    try (Tracer t = new Tracer(AttachMode.UPROBE_MULTI, bin,
        List.of(new UprobeSite(ElfSymbols.fileOffset(bin, "main.hot"), 7)), 0, 4096)) {
      assertEquals(0, Workload.run("-mode", "loop", "-n", "1").exitCode());
      assertEquals(24, t.reader().pending(), "one record in the ring");
      assertFalse(t.reader().signalled(), "no wakeup for a record below the threshold");
      assertEquals(0, Workload.run("-mode", "loop", "-n", "100").exitCode());
      assertTrue(t.reader().signalled(), "woken past the threshold");
      assertEquals(101, t.drain());
    }
  }

  /**
   * A lone record, committed without a wakeup, reaches a reader that is already waiting with no
   * limit of its own: the reader's bounded wait finds it.
   */
  @Test
  void aLoneRecordReachesAWaitingReader() throws InterruptedException {
    TestBinaries.requireRoot();
    Path bin = Workload.binary();
    try (Tracer t = new Tracer(AttachMode.UPROBE_MULTI, bin,
        List.of(new UprobeSite(ElfSymbols.fileOffset(bin, "main.hot"), 7)), 0, 4096)) {
      Thread consumer = new Thread(() -> {
        while (t.poll(-1) == 0) {
          // waits again: each wait ends within the reader's bound
        }
      });
      consumer.setDaemon(true);
      consumer.start();
      Thread.sleep(100);
      assertEquals(0, Workload.run("-mode", "loop", "-n", "1").exitCode());
      consumer.join(10_000);
      assertFalse(consumer.isAlive(), "the record was never read");
      assertEquals(1, t.records().size());
      assertEquals(7, t.records().get(0).cookie());
    }
  }
}
