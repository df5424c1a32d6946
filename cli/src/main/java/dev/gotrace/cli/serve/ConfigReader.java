package dev.gotrace.cli.serve;

import dev.gotrace.core.expr.ExprException;
import dev.gotrace.core.query.Question;
import dev.gotrace.core.query.QueryException;
import dev.gotrace.goelf.match.NamePattern;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a serve config file into a {@link ServeConfig}, refusing anything it does not know with
 * the line and what is allowed there. The keys:
 *
 * <pre>
 * prometheus: 127.0.0.1:9464        # [ADDR:]PORT of /metrics (loopback unless an address is given)
 * otlp: {url: http://h:4318/v1/metrics, interval: 10s}
 * pid_label: false                  # a pid label on every series
 * scan_interval: 1s                 # how often /proc is scanned
 * targets:                          # at least one
 *   - name: api                     # optional, unique (default: the file name or the glob)
 *     binary: /usr/local/bin/api    # or process: 'api-*' (exactly one of the two)
 *     functions: ['main.handler']   # patterns, as gotrace latency takes them
 *     where: 'year >= 2021'         # optional, as --where
 *     by: 'status'                  # optional, as --by
 *     max_keys: 1024                # optional, as --max-keys
 * </pre>
 *
 * At least one of {@code prometheus} and {@code otlp} is needed: an agent that exports nothing is
 * a mistake.
 */
public final class ConfigReader {
  static final List<String> TOP_KEYS = List.of("prometheus", "otlp", "pid_label", "scan_interval", "targets");
  static final List<String> OTLP_KEYS = List.of("url", "interval");
  static final List<String> TARGET_KEYS = List.of("name", "binary", "process", "functions", "where", "by", "max_keys");
  /** As latency's {@code --max-keys}: the kernel preallocates the table. */
  static final int DEFAULT_MAX_KEYS = 1024, MAX_MAX_KEYS = 1 << 16;
  private static final Pattern TIME = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private final Path file;

  private ConfigReader(Path file) {
    this.file = file;
  }

  /** Reads and checks {@code file}; a missing file is a {@link NoSuchFileException}. */
  public static ServeConfig read(Path file) throws IOException, ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (MalformedInputException e) {
      throw new ConfigException(file, "not UTF-8 text");
    }
    return parse(file, text);
  }

  /** Checks {@code text}, named {@code file} in messages. */
  public static ServeConfig parse(Path file, String text) throws ConfigException {
    return new ConfigReader(file).config(text);
  }

  private ServeConfig config(String text) throws ConfigException {
    YamlTree root;
    try {
      root = YamlTree.parse(text);
    } catch (YamlTree.SyntaxException e) {
      throw new ConfigException(file, e.line(), e.getMessage());
    }
    if (root == null) {
      throw new ConfigException(file, 1, "empty; expected a mapping with targets: (and prometheus: or otlp:)");
    }
    YamlTree.Mapping top = mapping(root, "the file", TOP_KEYS);
    Optional<ServeConfig.Listen> prometheus = Optional.empty();
    if (present(top, "prometheus") instanceof YamlTree t) {
      prometheus = Optional.of(listen(t));
    }
    Optional<ServeConfig.Otlp> otlp = Optional.empty();
    if (present(top, "otlp") instanceof YamlTree t) {
      otlp = Optional.of(otlp(t));
    }
    if (prometheus.isEmpty() && otlp.isEmpty()) {
      throw new ConfigException(file, top.line(), "nothing to export: give prometheus: [ADDR:]PORT or otlp: {url: URL}");
    }
    boolean pid = present(top, "pid_label") instanceof YamlTree t && bool(t, "pid_label");
    Duration scan = present(top, "scan_interval") instanceof YamlTree t
        ? time(t, "scan_interval", Duration.ofMillis(10)) : ServeConfig.DEFAULT_SCAN;
    YamlTree targetsNode = top.entries().get("targets");
    if (targetsNode == null) {
      throw new ConfigException(file, top.line(), "no targets: list what to trace under targets:");
    }
    if (!(targetsNode instanceof YamlTree.Sequence seq) || seq.items().isEmpty()) {
      throw new ConfigException(file, targetsNode.line(), "targets: must be a list of one or more targets"
          + " (- binary: PATH or - process: PATTERN, with functions: [...])");
    }
    List<ServeConfig.Target> targets = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    for (YamlTree item : seq.items()) {
      ServeConfig.Target t = target(item);
      Integer before = names.putIfAbsent(t.name(), t.line());
      if (before != null) {
        throw new ConfigException(file, t.line(), "target name \"" + t.name() + "\" repeated (first on line " + before
            + "); give each target its own name:");
      }
      targets.add(t);
    }
    return new ServeConfig(file, prometheus, otlp, pid, scan, targets);
  }

  private ServeConfig.Target target(YamlTree node) throws ConfigException {
    YamlTree.Mapping m = mapping(node, "a target", TARGET_KEYS);
    YamlTree binary = m.entries().get("binary");
    YamlTree process = m.entries().get("process");
    if ((binary == null) == (process == null)) {
      throw new ConfigException(file, m.line(), binary == null
          ? "a target needs binary: PATH (its executable) or process: PATTERN (a glob on the process name)"
          : "binary: and process: exclude each other; give one per target");
    }
    ServeConfig.Select select;
    String defaultName;
    if (binary != null) {
      Path p = Path.of(text(binary, "binary"));
      if (!p.isAbsolute()) {
        throw new ConfigException(file, binary.line(), "binary: " + p + " is not an absolute path;"
            + " the agent matches processes by the file, e.g. binary: /usr/local/bin/server");
      }
      select = new ServeConfig.Binary(p.normalize());
      defaultName = p.getFileName().toString();
    } else {
      String glob = text(process, "process");
      try {
        select = new ServeConfig.Process(glob);
      } catch (RuntimeException e) {
        throw new ConfigException(file, process.line(), "process: '" + glob + "' is not a glob: "
            + firstLine(e.getMessage()) + " (allowed: * ? [abc] {a,b})");
      }
      defaultName = glob;
    }
    String name = present(m, "name") instanceof YamlTree n ? text(n, "name") : defaultName;
    YamlTree fn = m.entries().get("functions");
    if (fn == null) {
      throw new ConfigException(file, m.line(), "a target needs functions: a list of patterns, e.g. ['main.*']");
    }
    List<String> functions = new ArrayList<>();
    List<YamlTree> items = fn instanceof YamlTree.Sequence s ? s.items() : List.of(fn);
    if (items.isEmpty()) {
      throw new ConfigException(file, fn.line(), "functions: is empty; give one pattern or more, e.g. ['main.*']");
    }
    for (YamlTree f : items) {
      String pattern = text(f, "functions");
      try {
        NamePattern.parse(pattern);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(file, f.line(), "functions: " + firstLine(e.getMessage())
            + " (patterns are names (main.f), globs (main.*) or re:REGEX)");
      }
      functions.add(pattern);
    }
    Optional<String> where = present(m, "where") instanceof YamlTree w ? Optional.of(text(w, "where"))
        : Optional.empty();
    Optional<String> by = present(m, "by") instanceof YamlTree b ? Optional.of(text(b, "by")) : Optional.empty();
    int maxKeys = DEFAULT_MAX_KEYS;
    if (present(m, "max_keys") instanceof YamlTree k) {
      maxKeys = integer(k, "max_keys", 1, MAX_MAX_KEYS);
    }
    try {
      if (where.isPresent() || by.isPresent()) {
        Question.parse(where, by, Question.DEFAULT_KEY_BYTES);
      }
    } catch (QueryException e) {
      throw badExpression(m, e.text(), e.problem(), e.column(), where);
    } catch (ExprException e) {
      throw badExpression(m, e.text(), e.problem(), e.column(), where);
    }
    return new ServeConfig.Target(name, select, functions, where, by, maxKeys, m.line());
  }

  /** A --where or --by text that does not parse, on the line of its key. */
  private ConfigException badExpression(YamlTree.Mapping m, String text, String problem, int column,
      Optional<String> where) {
    String key = where.isPresent() && where.get().equals(text) ? "where" : "by";
    return new ConfigException(file, m.keyLines().getOrDefault(key, m.line()), key + ": " + problem + " (column "
        + column + " of '" + text + "')");
  }

  private ServeConfig.Listen listen(YamlTree node) throws ConfigException {
    String text = text(node, "prometheus");
    String host = "127.0.0.1";
    String port = text;
    int colon = text.lastIndexOf(':');
    if (colon >= 0) {
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      p = -1;
    }
    if (p < 0 || p > 65535 || host.isEmpty()) {
      throw new ConfigException(file, node.line(), "prometheus: " + text + " is not [ADDR:]PORT"
          + " (e.g. 9464, 127.0.0.1:9464, 0.0.0.0:9464 or [::]:9464)");
    }
    try {
      return new ServeConfig.Listen(new InetSocketAddress(InetAddress.getByName(host), p), text, node.line());
    } catch (UnknownHostException e) {
      throw new ConfigException(file, node.line(), "prometheus: unknown address " + host
          + " (give an IP address, e.g. 127.0.0.1 or 0.0.0.0)");
    }
  }

  private ServeConfig.Otlp otlp(YamlTree node) throws ConfigException {
    YamlTree.Mapping m = mapping(node, "otlp:", OTLP_KEYS);
    YamlTree url = m.entries().get("url");
    if (url == null) {
      throw new ConfigException(file, m.line(), "otlp: needs url: the OTLP/HTTP metrics URL,"
          + " e.g. http://127.0.0.1:4318/v1/metrics");
    }
    String u = text(url, "url");
    URI uri;
    try {
      uri = new URI(u);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new ConfigException(file, url.line(), "url: " + u + " is not an http:// or https:// URL");
    }
    Duration interval = present(m, "interval") instanceof YamlTree i
        ? time(i, "interval", Duration.ofMillis(100)) : ServeConfig.DEFAULT_OTLP_INTERVAL;
    return new ServeConfig.Otlp(uri, interval);
  }

  /** The value of {@code key}, as an Object so that a pattern can both test and bind it. */
  private static Object present(YamlTree.Mapping m, String key) {
    return m.entries().get(key);
  }

  private YamlTree.Mapping mapping(YamlTree node, String what, List<String> known) throws ConfigException {
    if (!(node instanceof YamlTree.Mapping m)) {
      throw new ConfigException(file, node.line(), what + " must be a mapping of " + String.join(", ", known));
    }
    for (var e : m.keyLines().entrySet()) {
      if (!Set.copyOf(known).contains(e.getKey())) {
        throw new ConfigException(file, e.getValue(), "unknown key \"" + e.getKey() + "\" (known: "
            + String.join(", ", known) + ")");
      }
    }
    return m;
  }

  private String text(YamlTree node, String key) throws ConfigException {
    if (!(node instanceof YamlTree.Scalar s) || s.text() == null || s.text().isBlank()) {
      throw new ConfigException(file, node.line(), key + ": needs a value, not "
          + (node instanceof YamlTree.Scalar ? "nothing" : node instanceof YamlTree.Sequence ? "a list" : "a mapping"));
    }
    return s.text();
  }

  private boolean bool(YamlTree node, String key) throws ConfigException {
    String t = text(node, key);
    return switch (t) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(file, node.line(), key + ": " + t + " is not true or false");
    };
  }

  private int integer(YamlTree node, String key, int min, int max) throws ConfigException {
    String t = text(node, key);
    try {
      int v = Integer.parseInt(t);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new ConfigException(file, node.line(), key + ": " + t + " is not a number from " + min + " to " + max);
  }

  private Duration time(YamlTree node, String key, Duration min) throws ConfigException {
    String t = text(node, key);
    Matcher m = TIME.matcher(t);
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      double ms = n * switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1000;
        case "m" -> 60_000;
        default -> 3_600_000;
      };
      if (ms >= min.toMillis() && ms <= 86_400_000) {
        return Duration.ofMillis(Math.round(ms));
      }
      throw new ConfigException(file, node.line(), key + ": " + t + " is out of range: " + min.toMillis()
          + "ms to 24h");
    }
    throw new ConfigException(file, node.line(), key + ": " + t + " is not a time with a unit (500ms, 1s, 2m, 1h)");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
