package dev.gotrace.core.query;

import dev.gotrace.core.expr.Expr;
import dev.gotrace.core.expr.ExprException;
import dev.gotrace.core.expr.ExprParser;
import java.util.List;
import java.util.Optional;

/**
 * A {@code --where} and {@code --by} as the user gave them, parsed once (at CLI time); {@link
 * QueryPlanner} resolves them per traced function.
 *
 * @param where the filter, if any
 * @param whereText its text ("" without)
 * @param by the {@code --by} parts in order (empty without)
 * @param byText their text ("" without); the parts' {@link Expr#at()} are offsets in it
 * @param keyBytes bytes of a string kept in a key ({@code --key-bytes}, 1..{@value #MAX_KEY_BYTES})
 */
public record Question(Optional<Expr> where, String whereText, List<ExprParser.Item> by, String byText, int keyBytes) {
  /** The default of {@code --key-bytes}. */
  public static final int DEFAULT_KEY_BYTES = 64;
  /** The largest {@code --key-bytes}. */
  public static final int MAX_KEY_BYTES = 128;

  public Question {
    by = List.copyOf(by);
    if (keyBytes < 1 || keyBytes > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("--key-bytes must be 1.." + MAX_KEY_BYTES + ", got " + keyBytes);
    }
  }

  /** No question: every call counts, one key per function. */
  public static final Question NONE = new Question(Optional.empty(), "", List.of(), "", DEFAULT_KEY_BYTES);

  /** Parses both texts; a refusal is a {@link QueryException} with the column. */
  public static Question parse(Optional<String> where, Optional<String> by, int keyBytes) {
    try {
      Optional<Expr> w = where.map(ExprParser::parse);
      List<ExprParser.Item> b = by.map(ExprParser::parseList).orElse(List.of());
      return new Question(w, where.orElse(""), b, by.orElse(""), keyBytes);
    } catch (ExprException e) {
      throw QueryException.of(e);
    }
  }

  public boolean isEmpty() {
    return where.isEmpty() && by.isEmpty();
  }
}
