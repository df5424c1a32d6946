package dev.gotrace.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * lintian, Debian's package checker, finds nothing in the package at any level down to pedantic
 * and informational, but for the tags its own override file (src/deb/files/lintian-overrides)
 * explains; an override that no longer matches is reported too (unused-override).
 */
class DebLintianIT {
  @Test
  void findsNothingButTheExplainedOverrides() throws Exception {
    DebianChroot.require(DebianChroot.onPath("lintian"), "needs lintian (apt install lintian)");
    var result = Command.run(List.of("lintian", "--pedantic", "--display-info", "--display-experimental",
        "--fail-on", "error,warning,info,pedantic", DebPackageChecks.deb().toString()), 600);
    List<String> tags = result.out().lines().filter(l -> l.matches("[EWIPX]: .*")).toList();
    assertEquals(List.of(), tags, result.both());
    assertEquals(0, result.status(), result.both());
  }
}
