package dev.gotrace.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package's /usr/bin/gotrace, taken out of the built .deb, given a Java older than 17: one
 * line naming that Java and what gotrace needs, exit 1, and no JVM error. A Java home is what
 * the launcher reads (its release file, else {@code java -version}); this one is a Java 11's
 * layout whose {@code java} prints Java 11's version banner and fails on anything else, as an
 * 11 would on gotrace's class files.
 */
class DebLauncherIT {
  @TempDir Path tmp;

  @Test
  void javaOlderThan17GetsOneLine() throws Exception {
    DebianChroot.require(DebianChroot.onPath("dpkg-deb"), "needs dpkg-deb");
    Path tree = Files.createDirectories(tmp.resolve("tree"));
    var unpack = Command.run(List.of("dpkg-deb", "-x", DebPackageChecks.deb().toString(), tree.toString()), 60);
    assertEquals(0, unpack.status(), unpack.both());
    Path launcher = tree.resolve("usr/bin/gotrace");

    Path home = Files.createDirectories(tmp.resolve("jdk-11/bin"));
    Path java = home.resolve("java");
    Files.writeString(java, """
        #!/bin/sh
        if [ "$1" = -version ]; then
          echo 'openjdk version "11.0.25" 2024-10-15' >&2
          echo 'OpenJDK Runtime Environment (build 11.0.25+9-post-Debian-1deb11u1)' >&2
          exit 0
        fi
        echo 'Error: LinkageError occurred while loading main class dev.gotrace.cli.Main' >&2
        exit 1
        """);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jdk = home.getParent();

    for (boolean releaseFile : List.of(false, true)) {
      if (releaseFile) {
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Debian\"\nJAVA_VERSION=\"11.0.25\"\n");
      }
      var pb = new ProcessBuilder(launcher.toString(), "--version");
      pb.environment().putAll(Map.of("JAVA_HOME", jdk.toString()));
      Path err = tmp.resolve("err");
      Process p = pb.redirectError(err.toFile()).redirectOutput(tmp.resolve("out").toFile()).start();
      assertEquals(1, p.waitFor(), "exit status, release file " + releaseFile);
      List<String> lines = Files.readAllLines(err);
      assertEquals(1, lines.size(), "one line, release file " + releaseFile + ": " + lines);
      assertTrue(lines.get(0).matches("gotrace: .*/jdk-11/bin/java is Java 11\\.0\\.25; gotrace needs Java 17 or newer .*"),
          lines.get(0));
      assertEquals("", Files.readString(tmp.resolve("out")));
    }
  }
}
