package dev.gotrace.core.spec;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.trace.RecordSource;
import dev.gotrace.core.trace.Session;
import dev.gotrace.core.trace.TraceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A fake session: a spec's decoder, filter and loss reporting run by {@link Session#replay} over
 * records captured from the kernel's ring buffer ({@code src/test/resources/records/*.hex}: the
 * demo server, testdata/bin/server, traced by each command while it answered two requests).
 * No root, no kernel.
 */
final class Replay {
  /** The demo server's pid when the records were captured. */
  static final int FUNCS_PID = 29338;
  static final int ARGS_PID = 29353;
  static final int GOROUTINES_PID = 29362;
  static final int LATENCY_PID = 29390;

  private Replay() {}

  /** The records of {@code command}, in the order the ring delivered them. */
  static List<byte[]> records(String command) {
    try (InputStream in = Replay.class.getResourceAsStream("/records/" + command + ".hex")) {
      if (in == null) {
        throw new IllegalStateException("no recorded records for " + command);
      }
      List<byte[]> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(HexFormat.of().parseHex(line.strip()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every event of {@code records} replayed through a session of {@code spec}. */
  static List<Event> events(TraceSpec spec, List<byte[]> records, long drops, Set<Integer> acceptPids) {
    List<Event> out = new ArrayList<>();
    try (Session s = Session.replay(spec, RecordSource.replay(records, drops), acceptPids)) {
      s.drain(out::add);
      s.poll(0, out::add);
    }
    return out;
  }

  static <T extends Event> List<T> only(List<Event> events, Class<T> kind) {
    return events.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
