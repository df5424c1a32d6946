package dev.gotrace.core.api;

import dev.gotrace.core.query.Question;
import java.util.Optional;

/** The {@code where} of a builder as the planners take it. */
final class Questions {
  private Questions() {}

  /** The parsed condition, when given (a text that does not parse throws its ExprException). */
  static Optional<Question> where(Trace.Options o) {
    return o.where().map(t -> Question.parse(Optional.of(t), Optional.empty(), Question.DEFAULT_KEY_BYTES));
  }
}
