package dev.gotrace.core.stack;

/**
 * One frame of a Go call stack, innermost first in {@link GoStack#frames()}.
 *
 * @param function the Go function's name ("?" when the PC is in no function)
 * @param file the source file ("" when unknown)
 * @param line the source line (0 when unknown)
 * @param inlined whether this frame is a call the compiler inlined (it has no machine frame of
 *     its own; it shares {@code pc} with the frame after it)
 * @param pc the link-time address the frame was found at (the probe's address for the first
 *     frame, a return address for the others)
 */
public record Frame(String function, String file, int line, boolean inlined, long pc) {
  /** "main.leaf (main.go:142)", "main.wrap (main.go:176, inlined)". */
  @Override
  public String toString() {
    String where = file.isEmpty() ? "?" : file + ":" + line;
    return function + " (" + where + (inlined ? ", inlined" : "") + ")";
  }
}
