package dev.gotrace.probes.ringbuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

  @Test
  void pollTimesOutWhenEmpty() {
    TestBinaries.requireRoot();
    Path bin = Workload.binary();
    try (Tracer t = new Tracer(AttachMode.UPROBE_MULTI, bin,
        List.of(new UprobeSite(ElfSymbols.fileOffset(bin, "main.hot"), 7)), 0, 4096)) {
      long start = System.nanoTime();
      assertEquals(0, t.poll(200));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms >= 150, "waited " + ms + " ms in epoll");
    }
  }
}
