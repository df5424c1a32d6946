package dev.gotrace.core.plan;

import dev.gotrace.goelf.lines.LineSite;

/**
 * One probe of a line target: a copy of the line's code.
 *
 * @param target the line as the user named it ("main.go:97", "main.loop+4")
 * @param site the copy and its statement boundary
 * @param copy which copy, from 1, by address
 * @param copies how many copies the line has
 */
public record LineProbe(String target, LineSite site, int copy, int copies) {
  /** "main.go:97", or "main.go:97 [2/3]" when the line has several copies: {@code Event.*.site}. */
  public String label() {
    return copies == 1 ? target : target + " [" + copy + "/" + copies + "]";
  }

  /** "main.useClampA at main.go:121" for an inlined copy, "" for a function's own code. */
  public String inlinedInto() {
    return site.copy().map(c -> c.caller() + c.callSite().map(p -> " at " + shortFile(p.file()) + ":" + p.line())
        .orElse("")).orElse("");
  }

  static String shortFile(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? file : file.substring(slash + 1);
  }
}
