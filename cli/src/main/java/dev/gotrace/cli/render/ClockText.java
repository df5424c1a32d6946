package dev.gotrace.cli.render;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code HH:mm:ss.SSSSSS} of an event's wall-clock time in one zone, as
 * {@code DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS")} gives it, with the zone lookup and
 * formatting done once per second of events, not per event (a streaming command formats one per
 * record). Not thread-safe: one per renderer.
 */
final class ClockText {
  private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("HH:mm:ss.");
  private final ZoneId zone;
  private final StringBuilder sb = new StringBuilder(15);
  private long second = Long.MIN_VALUE;
  private String prefix = "";

  ClockText(ZoneId zone) {
    this.zone = zone;
  }

  String of(long wallNs) {
    long s = Math.floorDiv(wallNs, 1_000_000_000L);
    if (s != second) {
      second = s;
      prefix = SECOND.format(Instant.ofEpochSecond(s).atZone(zone));
    }
    int micros = (int) (Math.floorMod(wallNs, 1_000_000_000L) / 1_000);
    sb.setLength(0);
    sb.append(prefix);
    for (int d = 100_000; d > 0; d /= 10) {
      sb.append((char) ('0' + micros / d % 10));
    }
    return sb.toString();
  }
}
