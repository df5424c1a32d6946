package dev.gotrace.cli.render;

import dev.gotrace.core.plan.Note;

/** The one place a {@link Note} becomes the text after {@code gotrace: note: }. */
public final class NoteText {
  private NoteText() {}

  public static String of(Note note) {
    if (note instanceof Note.PerfEventFallback f) {
      return f.missing().message() + "; falling back to perf events";
    }
    throw new IllegalArgumentException("no text for " + note);
  }
}
