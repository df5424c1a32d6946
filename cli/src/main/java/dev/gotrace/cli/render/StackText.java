package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.stack.Frame;
import dev.gotrace.core.stack.GoStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * How every stream shows an event's {@link GoStack}. Text: after the event's line, one line per
 * frame, innermost first, indented four spaces ({@code main.chainC (main.go:181)}, an inlined
 * call {@code main.wrap (main.go:176, inlined)}), then, when the walk ended before the goroutine's
 * first function, one line saying why ({@code ... stack cut at depth 3 (--stack=N for more)}).
 * NDJSON: field {@code "stack"}: {@code {"frames":[{"func","file","line","inlined"}...],
 * "end":"complete"|"depth"|"no_frame_pointer"|"morestack"|"system_stack"|"unreadable"|"map_full",
 * "endAt": the function it stopped at, or ""}}.
 */
public final class StackText {
  private StackText() {}

  /** The text lines of {@code s}, nothing when no stack was taken. */
  public static void print(PrintWriter out, GoStack s) {
    if (!s.taken()) {
      return;
    }
    StringBuilder b = new StringBuilder(64);
    for (Frame f : s.frames()) {
      b.setLength(0);
      b.append("    ").append(f.function()).append(" (");
      if (f.line() > 0) {
        b.append(CallRenderer.shortFile(f.file())).append(':').append(f.line());
      } else {
        b.append(String.format(Locale.ROOT, "0x%x", f.pc()));
      }
      out.println(b.append(f.inlined() ? ", inlined)" : ")"));
    }
    String end = endLine(s);
    if (!end.isEmpty()) {
      out.println("    ... " + end);
    }
  }

  /** Why the stack ends early, "" when it is complete. */
  public static String endLine(GoStack s) {
    String at = s.endDetail().isEmpty() ? "" : " at " + s.endDetail();
    return switch (s.end()) {
      case NOT_TAKEN, COMPLETE -> "";
      case DEPTH -> "stack cut at depth " + machineFrames(s) + " (--stack=N for more)";
      case NO_FRAME_POINTER -> "stack ends" + at + ": no frame pointer to follow";
      case MORESTACK -> "stack ends" + at + ": the stack was being grown (morestack)";
      case SYSTEM_STACK -> "stack ends" + at + ": the system stack";
      case UNREADABLE -> "stack ends" + at + ": a frame could not be read";
      case MAP_FULL -> "stack not recorded: the kernel's stack map is full";
    };
  }

  private static long machineFrames(GoStack s) {
    return s.frames().stream().filter(f -> !f.inlined()).count();
  }

  /** Field {@code "stack"} of an NDJSON object, nothing when no stack was taken. */
  public static void json(JsonGenerator g, GoStack s) throws IOException {
    if (!s.taken()) {
      return;
    }
    g.writeObjectFieldStart("stack");
    g.writeArrayFieldStart("frames");
    for (Frame f : s.frames()) {
      g.writeStartObject();
      g.writeStringField("func", f.function());
      g.writeStringField("file", f.file());
      g.writeNumberField("line", f.line());
      g.writeBooleanField("inlined", f.inlined());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("end", s.end().name().toLowerCase(Locale.ROOT));
    g.writeStringField("endAt", s.endDetail());
    g.writeEndObject();
  }
}
