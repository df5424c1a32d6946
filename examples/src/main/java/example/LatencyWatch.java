package example;

import dev.gotrace.core.api.GoTrace;
import dev.gotrace.core.api.GoTraceException;
import dev.gotrace.core.api.Tracing;
import dev.gotrace.core.decode.Event;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every second, the calls and the p99 latency of each Go function matching a pattern, in a
 * program you did not change or restart. Run it as root with the release jar, straight from the
 * source file (Java 17's source launcher compiles it in memory):
 *
 * <pre>
 * java -cp gotrace-0.1.0.jar LatencyWatch.java ./server 'main.*'
 * java -cp gotrace-0.1.0.jar LatencyWatch.java -p 4242 'main.*' --seconds 30
 * </pre>
 */
public final class LatencyWatch {
  private LatencyWatch() {}

  public static void main(String[] args) throws InterruptedException {
    List<String> words = new ArrayList<>(Arrays.asList(args));
    int seconds = 0; // 0: until Ctrl-C or the end of the process
    int at = words.indexOf("--seconds");
    if (at >= 0 && at + 1 < words.size()) {
      seconds = Integer.parseInt(words.remove(at + 1));
      words.remove(at);
    }
    if (words.isEmpty() || words.get(0).equals("-p") && words.size() < 2) {
      System.err.println("usage: LatencyWatch BINARY|-p PID [PATTERN] [--seconds N]");
      System.exit(2);
    }
    boolean byPid = words.get(0).equals("-p");
    String target = byPid ? words.get(1) : words.get(0);
    List<String> rest = words.subList(byPid ? 2 : 1, words.size());
    String pattern = rest.isEmpty() ? "main.*" : rest.get(0);

    Window window = new Window();
    // GoTrace reads the binary (no root needed for that); latency(...).start(...) attaches the
    // probes and returns once they are in. The listener, window::add, runs on the trace's own thread.
    try (GoTrace go = byPid ? GoTrace.attach(Integer.parseInt(target)) : GoTrace.open(Path.of(target))) {
      Tracing trace = go.latency(pattern).start(window::add);
      try (trace) { // close() detaches the probes and frees every kernel object
        System.out.println("watching " + pattern + " in " + go.binary() + " (" + go.goVersion() + ")");
        for (int s = 0; seconds == 0 || s < seconds; s++) {
          boolean ended = trace.awaitEnd(Duration.ofSeconds(1)); // the traced process exited
          window.print(System.out);
          if (ended) {
            break;
          }
        }
      }
      window.print(System.out); // the calls delivered while closing
    } catch (GoTraceException e) { // the message and hint the gotrace command prints
      System.err.println("LatencyWatch: " + e.getMessage());
      if (e.hint() != null) {
        System.err.println("hint: " + e.hint());
      }
      System.exit(1);
    }
  }

  /** The latencies of one second, per function; filled by the trace's thread, printed by main's. */
  static final class Window {
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("HH:mm:ss");
    private Map<String, List<Long>> calls = new HashMap<>();
    private long lost;

    synchronized void add(Event e) {
      if (e instanceof Event.Completed c) {
        calls.computeIfAbsent(c.function(), f -> new ArrayList<>()).add(c.latencyNs());
      } else if (e instanceof Event.Lost l) {
        lost += l.count();
      }
    }

    /** Prints this window's functions, most calls first, and starts a new window. */
    void print(PrintStream out) {
      Map<String, List<Long>> second;
      long dropped;
      synchronized (this) {
        second = calls;
        dropped = lost;
        calls = new HashMap<>();
        lost = 0;
      }
      if (second.isEmpty() && dropped == 0) {
        return;
      }
      out.println(LocalTime.now().format(SECOND) + (dropped > 0 ? "  (" + dropped + " lost)" : ""));
      second.entrySet().stream()
          .sorted((a, b) -> b.getValue().size() - a.getValue().size())
          .forEach(f -> out.printf("  %-32s %7d calls  p99 %10.3f ms%n", f.getKey(), f.getValue().size(),
              p99(f.getValue()) / 1e6));
      out.flush();
    }

    private static long p99(List<Long> latencies) {
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      return sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
    }
  }
}
