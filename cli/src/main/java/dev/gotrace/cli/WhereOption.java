package dev.gotrace.cli;

import dev.gotrace.core.expr.Expr;
import dev.gotrace.core.expr.ExprParser;
import dev.gotrace.core.query.Question;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --where EXPR}, shared by funcs, args, latency and top: the condition a call must meet to
 * be reported. The text is parsed when the command starts ({@link #parsed()}), before any binary
 * is read, so that a typo costs nothing; what it names is resolved later against each traced
 * function. (goroutines declares its own {@code --where}, on the launched function's name, and
 * parses it with {@link #parse}.)
 */
final class WhereOption {
  @Option(names = "--where", paramLabel = "EXPR", description = "Report only the calls for which EXPR holds,"
      + " decided in the kernel at the entry: parameters by name or position (arg0, or arg1:int without DWARF),"
      + " fields through structs and pointers (r.URL.Path), == != < <= > >=, && || !, len(), hasPrefix(),"
      + " hasSuffix(), nil. E.g. 'year >= 2021 && hasPrefix(name, \"Go\")'.")
  String text;

  /** The expression's text, when given. */
  Optional<String> text() {
    return Optional.ofNullable(text);
  }

  /**
   * The question of a command without {@code --by} (funcs, args): the parsed {@code --where},
   * when given; a text that does not parse is an {@link dev.gotrace.core.expr.ExprException}
   * (exit code 10 through {@link Errors}).
   */
  Optional<Question> question() {
    parsed(); // a parse error as an ExprException: Errors adds the hint to the grammar
    return text().map(t -> Question.parse(Optional.of(t), Optional.empty(), Question.DEFAULT_KEY_BYTES));
  }

  /** The parsed expression, when given. */
  Optional<Expr> parsed() {
    return parse(text);
  }

  /**
   * {@code text} parsed, empty for null; a text that does not parse is an
   * {@link dev.gotrace.core.expr.ExprException}, which {@link Errors} reports with its column and
   * exit code 10.
   */
  static Optional<Expr> parse(String text) {
    return Optional.ofNullable(text).map(ExprParser::parse);
  }
}
