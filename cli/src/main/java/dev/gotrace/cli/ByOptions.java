package dev.gotrace.cli;

import dev.gotrace.cli.render.KeyOrder;
import dev.gotrace.cli.render.KeyedSections;
import dev.gotrace.core.agg.KeyedLatency;
import dev.gotrace.core.expr.ExprParser;
import dev.gotrace.core.query.Question;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --by EXPR[,EXPR]} and its limits, shared by latency and top: one histogram (one row)
 * per distinct value of the expressions, counted in the kernel per (function, key).
 */
final class ByOptions {
  /** Default and bounds of {@code --key-bytes}: the bytes of a string a key keeps. */
  static final int DEFAULT_KEY_BYTES = Question.DEFAULT_KEY_BYTES, MAX_KEY_BYTES = Question.MAX_KEY_BYTES;
  /**
   * Default and largest {@code --max-keys}: distinct keys the kernel's hash map holds. The kernel
   * preallocates it, a key and a 544-byte value an entry: 65536 keys are some 50 MB.
   */
  static final int DEFAULT_MAX_KEYS = 1024, MAX_MAX_KEYS = 1 << 16;

  @Option(names = "--by", paramLabel = "EXPR", description = "Group the calls by EXPR, or several separated by commas: Go values"
      + " (arguments, results, fields: year, r.URL.Path, 'err != nil', arg1:int), counted in the kernel: one"
      + " histogram (one row) per function and distinct key.")
  String by;

  @Option(names = "--key-bytes", paramLabel = "N", description = "Bytes of a string a key keeps (1 to 128,"
      + " default: ${DEFAULT-VALUE}); longer strings are counted under their first N bytes, marked cut.")
  int keyBytes = DEFAULT_KEY_BYTES;

  @Option(names = "--max-keys", paramLabel = "N", description = "Distinct keys the kernel keeps (1 to 65536,"
      + " default: ${DEFAULT-VALUE}); calls with a key past the cap are counted as (other).")
  int maxKeys = DEFAULT_MAX_KEYS;

  @Option(names = "--sort", paramLabel = "ORDER", description = "Order of the keys of a function: count (most"
      + " calls first, the default), p99 (slowest first) or key.")
  String sort = "count";

  /** The --by text, when given. */
  Optional<String> text() {
    return Optional.ofNullable(by);
  }

  /** Refuses limits out of range and an unknown --sort, before anything is read or attached. */
  void check() {
    if (keyBytes < 1 || keyBytes > MAX_KEY_BYTES) {
      throw new UserException(ExitCode.USAGE, "--key-bytes " + keyBytes + " is out of range: 1 to " + MAX_KEY_BYTES,
          "e.g. --key-bytes " + DEFAULT_KEY_BYTES + " (the default)");
    }
    if (maxKeys < 1 || maxKeys > MAX_MAX_KEYS) {
      throw new UserException(ExitCode.USAGE, "--max-keys " + maxKeys + " is out of range: 1 to " + MAX_MAX_KEYS,
          "e.g. --max-keys " + DEFAULT_MAX_KEYS + " (the default)");
    }
    order();
  }

  /**
   * The question of {@code --where} and {@code --by}, parsed (a bad text is an exception with its
   * column, exit code 10); empty when neither is given.
   */
  Optional<Question> question(WhereOption where) {
    if (where.text().isEmpty() && text().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Question.parse(where.text(), text(), keyBytes));
  }

  /** The keyed rows of a snapshot, for the renderers, labelled with the --by texts. */
  KeyedSections sections(List<KeyedLatency> keyed) {
    if (by == null) {
      return KeyedSections.NONE;
    }
    Map<Long, List<KeyedLatency>> byFunction = new HashMap<>();
    keyed.forEach(k -> byFunction.computeIfAbsent(k.entry(), e -> new ArrayList<>()).add(k));
    return new KeyedSections(ExprParser.parseList(by).stream().map(ExprParser.Item::text).toList(), order(),
        byFunction, maxKeys);
  }

  /** The order of --sort. */
  KeyOrder order() {
    return Arrays.stream(KeyOrder.values()).filter(o -> o.word().equals(sort.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new UserException(ExitCode.USAGE, "--sort " + sort + " is not an order of keys",
            "use --sort count, --sort p99 or --sort key"));
  }
}
