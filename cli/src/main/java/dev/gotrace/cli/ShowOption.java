package dev.gotrace.cli;

import dev.gotrace.core.query.Shows;
import picocli.CommandLine.Option;

/**
 * {@code --show NAMES}, shared by funcs and args: package variables read at each call and shown
 * after it. Parsed when the command starts, before any binary is read; resolved against the
 * binary's DWARF when the plan is made.
 */
final class ShowOption {
  @Option(names = "--show", paramLabel = "NAMES", description = "Show these package variables at each call,"
      + " comma-separated, read in the kernel when the probe fires: pkg.name or a field of one through structs"
      + " (main.requests,main.cfg.Mode). Needs DWARF. Shown after the call (text) or as \"shown\" (--json).")
  String text;

  /** The parsed names ({@link Shows#NONE} without the option); a refusal is a QueryException (exit 10). */
  Shows parsed() {
    return text == null ? Shows.NONE : Shows.parse(text);
  }
}
