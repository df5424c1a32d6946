package dev.gotrace.cli.serve;

import dev.gotrace.core.query.Question;
import dev.gotrace.goelf.match.NamePattern;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code gotrace serve} traces and where it exports, as read from its YAML file
 * ({@link ConfigReader}; the keys are listed there and in the README).
 *
 * @param file the file it was read from (named in the log)
 * @param prometheus where {@code /metrics} is served, with the line it was given on
 * @param otlp where metrics are pushed, and how often
 * @param pidLabel whether every series carries the {@code pid} label
 * @param scanInterval how often {@code /proc} is scanned for processes that started or exited
 * @param targets what to trace, in file order: a process is traced by the first that matches it
 */
public record ServeConfig(Path file, Optional<Listen> prometheus, Optional<Otlp> otlp, boolean pidLabel,
    Duration scanInterval, List<Target> targets) {
  public static final Duration DEFAULT_SCAN = Duration.ofSeconds(1);
  public static final Duration DEFAULT_OTLP_INTERVAL = Duration.ofSeconds(10);

  public ServeConfig {
    targets = List.copyOf(targets);
  }

  /** A duration as the file writes it: 500ms, 1s, 1.5s, 2m. */
  public static String text(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms < 1000 ? ms + "ms" : (ms / 1000.0) + "s";
  }

  /** The Prometheus endpoint's address, and the line of the key (for a bind failure's message). */
  public record Listen(InetSocketAddress address, String text, int line) {}

  /** OTLP/HTTP metrics push: the full metrics URL and the interval. */
  public record Otlp(URI url, Duration interval) {}

  /**
   * One entry of {@code targets:}. Two targets are the same (a reload keeps its processes
   * attached) when every field is equal.
   *
   * @param name how the log names it (unique in the file)
   * @param select which processes
   * @param functions the function patterns, as {@code gotrace latency} takes them
   * @param where {@code --where}'s text, parsed already (a typo is the file's error)
   * @param by {@code --by}'s text
   * @param maxKeys {@code --max-keys}
   * @param line where the entry starts, for messages
   */
  public record Target(String name, Select select, List<String> functions, Optional<String> where,
      Optional<String> by, int maxKeys, int line) {
    public Target {
      functions = List.copyOf(functions);
    }

    /** The patterns, parsed (they were checked when the file was read). */
    public List<NamePattern> patterns() {
      return functions.stream().map(NamePattern::parse).toList();
    }

    /** The question of {@code where} and {@code by}, when either is given. */
    public Optional<Question> question() {
      if (where.isEmpty() && by.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(Question.parse(where, by, Question.DEFAULT_KEY_BYTES));
    }

    /** Equal but for the line: a reload that only moved an entry keeps its processes. */
    boolean sameAs(Target o) {
      return name.equals(o.name) && select.equals(o.select) && functions.equals(o.functions) && where.equals(o.where)
          && by.equals(o.by) && maxKeys == o.maxKeys;
    }
  }

  /** Which processes a target traces. */
  public sealed interface Select {
    /** What the log says: {@code binary /usr/bin/server}, {@code process 'server*'}. */
    String describe();
  }

  /** The processes whose {@code /proc/PID/exe} is this file (the same device and inode). */
  public record Binary(Path path) implements Select {
    @Override
    public String describe() {
      return "binary " + path;
    }
  }

  /**
   * The processes whose name ({@code /proc/PID/comm}, at most 15 bytes) or executable's file name
   * matches a glob ({@code *}, {@code ?}, {@code [abc]}, {@code {a,b}}).
   */
  public record Process(String glob) implements Select {
    public Process {
      matcher(glob); // a bad glob is refused here, when the file is read
    }

    @Override
    public String describe() {
      return "process '" + glob + "'";
    }

    boolean matches(String name) {
      return !name.isEmpty() && name.indexOf('/') < 0 && matcher(glob).matches(Path.of(name));
    }

    private static PathMatcher matcher(String glob) {
      return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }
  }
}
