package dev.gotrace.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** TextLine.time, cached per second, equals DateTimeFormatter's, across seconds, zones and a DST change. */
class TextLineTimeTest {
  private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

  private static void same(ZoneId zone, long[] times) {
    TextLine c = new TextLine(zone);
    for (long ns : times) {
      assertEquals(FULL.format(Instant.ofEpochSecond(0, ns).atZone(zone)), c.clear().time(ns).toString(), "at " + ns + " in " + zone);
    }
  }

  @Test
  void equalsTheFormatterEventByEvent() {
    SplittableRandom r = new SplittableRandom(16);
    long base = 1_796_000_000_000_000_000L;
    long[] times = new long[5000];
    long t = base;
    for (int i = 0; i < times.length; i++) {
      t += r.nextLong(0, 400_000_000L); // several events a second, and jumps across seconds
      times[i] = t;
    }
    same(ZoneId.of("UTC"), times);
    same(ZoneId.of("Asia/Kolkata"), times);
    same(ZoneId.of("Europe/Berlin"), new long[] {base, base + 999_999_999L, base + 1_000_000_000L, base + 1_000L,
        base + 999L});
  }

  @Test
  void followsADaylightSavingChange() {
    // 2026-10-25 01:00:00 UTC: Berlin goes from 03:00 CEST back to 02:00 CET
    long change = Instant.parse("2026-10-25T01:00:00Z").getEpochSecond() * 1_000_000_000L;
    same(ZoneId.of("Europe/Berlin"), new long[] {change - 1_000, change - 1, change, change + 1, change + 500_000_000L});
  }
}
