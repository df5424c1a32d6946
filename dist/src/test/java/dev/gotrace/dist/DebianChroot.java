package dev.gotrace.dist;

import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh copy of a clean Debian system (debootstrap minbase, no Java; src/test/sh/debian-base.sh
 * makes it once under {@code $GOTRACE_CACHE/deb}) in a directory of its own, deleted by {@link
 * #close()}.
 *
 * <p>Each {@link #run} is a process in a mount namespace of its own ({@code unshare --mount}) that
 * mounts /proc and binds the cached apt archives as /var/cache/apt/archives before it chroots:
 * those mounts end with the process, whatever happens to it or to this JVM, so none is ever left
 * behind on the host.
 */
final class DebianChroot implements AutoCloseable {
  private static final String SETUP =
      "r=$1 archives=$2; shift 2; mount -t proc proc \"$r/proc\""
          + " && mount --bind \"$archives\" \"$r/var/cache/apt/archives\""
          + " && exec chroot \"$r\" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8"
          + " TERM=dumb DEBIAN_FRONTEND=noninteractive \"$@\"";

  private final String suite;
  private final Path dir;
  private final Path root;
  private final Path archives;

  private DebianChroot(String suite, Path dir, Path archives) {
    this.suite = suite;
    this.dir = dir;
    this.root = dir.resolve("root");
    this.archives = archives;
  }

  /**
   * A fresh chroot of SUITE. Needs root and debootstrap: off CI without them the test is skipped,
   * saying why; under CI that is a failure.
   */
  static DebianChroot fresh(String suite) throws IOException, InterruptedException {
    require(TestBinaries.isRoot(), "needs root (debootstrap, chroot, mount)");
    require(onPath("debootstrap") && onPath("unshare"), "needs debootstrap and unshare (apt install debootstrap)");
    Path cache = TestBinaries.cacheDir().resolve("deb");
    Path script = TestBinaries.repoRoot().resolve("dist/src/test/sh/debian-base.sh");
    Command.Result base = Command.run(List.of("bash", script.toString(), suite), 1800);
    Assertions.assertEquals(0, base.status(), "debian-base.sh " + suite + ": " + base.err());
    Path tar = Path.of(base.out().strip());
    Path dir = Files.createTempDirectory(cache, "run-" + suite + "-");
    DebianChroot chroot = new DebianChroot(suite, dir, cache.resolve("archives").resolve(suite));
    Files.createDirectories(chroot.root);
    Command.Result untar = Command.run(List.of("tar", "-C", chroot.root.toString(), "-xf", tar.toString()), 600);
    if (untar.status() != 0) {
      chroot.close();
      Assertions.fail("unpacking " + tar + ": " + untar.err());
    }
    Files.copy(Path.of("/etc/resolv.conf"), chroot.root.resolve("etc/resolv.conf"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return chroot;
  }

  String suite() {
    return suite;
  }

  /** The host path of PATH inside the chroot. */
  Path path(String path) {
    return root.resolve(path.replaceFirst("^/+", ""));
  }

  /** Runs COMMAND inside, as root with a clean environment; at most 10 minutes. */
  Command.Result run(String... command) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
        "sh", "-c", SETUP, "sh", root.toString(), archives.toString()));
    argv.addAll(List.of(command));
    return Command.run(argv, 600);
  }

  /** Runs a shell script inside with bash. */
  Command.Result bash(String script) throws IOException, InterruptedException {
    return run("bash", "-c", script);
  }

  /**
   * Every path of the system, relative to its root, but for what apt and dpkg rewrite on any
   * run (their caches, lists, logs and the -old backups of their databases) and /tmp.
   */
  TreeSet<String> files() throws IOException {
    TreeSet<String> paths = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.map(p -> "/" + root.relativize(p))
          .filter(p -> !p.matches("/(proc|tmp|var/tmp|var/log|var/cache/apt|var/lib/apt/lists)(/.*)?"))
          .filter(p -> !p.matches("/var/(lib/dpkg|cache/debconf)/.*-old"))
          .forEach(paths::add);
    }
    return paths;
  }

  /** Deletes the copy, after checking that nothing is mounted below it. */
  @Override
  public void close() throws IOException {
    String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
    if (mounts.contains(" " + dir)) {
      throw new IOException("still mounted below " + dir + "; not deleting it:\n" + mounts);
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static boolean onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
  }

  /** Skips off CI when a capability is missing, saying why; fails under CI=true. */
  static void require(boolean present, String what) {
    if (present) {
      return;
    }
    if (TestBinaries.inCi()) {
      Assertions.fail("this test " + what + " and CI=true forbids skipping");
    }
    Assumptions.abort("skipped: this test " + what);
  }
}
