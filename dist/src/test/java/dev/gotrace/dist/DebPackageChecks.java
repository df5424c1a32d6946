package dev.gotrace.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Debian package as a user gets it, in a clean Debian system of one suite (a subclass per
 * suite): apt resolves its Java dependency from the mirror, then gotrace, its man pages and its
 * bash completion work, and purging it leaves the system's files as they were before it was
 * installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DebPackageChecks {
  private final String suite;
  private DebianChroot chroot;
  private TreeSet<String> before;

  DebPackageChecks(String suite) {
    this.suite = suite;
  }

  /** The package this build made: dist/target/gotrace_VERSION_all.deb, beside the release jar. */
  static Path deb() {
    Path jar = Path.of(System.getProperty("gotrace.releaseJar"));
    return jar.resolveSibling("gotrace_" + version() + "_all.deb");
  }

  static String version() {
    return System.getProperty("gotrace.version");
  }

  @BeforeAll
  void install() throws Exception {
    chroot = DebianChroot.fresh(suite);
    assertNotEquals(0, chroot.bash("command -v java").status(), "the base system must have no Java");
    Files.copy(deb(), chroot.path("/tmp/gotrace.deb"));
    // what `apt install ./gotrace.deb` would add: a Java runtime resolved from the Depends field
    var plan = apt("install", "-s", "--no-install-recommends", "/tmp/gotrace.deb");
    assertTrue(plan.out().matches("(?s).*\\nInst openjdk-\\d+-jre-headless .*"), plan.both());
    // the dependencies first, so that the file list below is the system without gotrace
    String depends = chroot.run("dpkg-deb", "-f", "/tmp/gotrace.deb", "Depends").out().strip();
    apt("satisfy", "-y", "--no-install-recommends", depends);
    before = chroot.files();
    apt("install", "-y", "--no-install-recommends", "/tmp/gotrace.deb");
  }

  @AfterAll
  void remove() throws Exception {
    if (chroot != null) {
      chroot.close();
    }
  }

  /** apt-get ARGS; once more after apt-get update when the cached lists name a file the mirror no longer has. */
  private Command.Result apt(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("apt-get", "-q", "-o", "APT::Sandbox::User=root"));
    argv.addAll(List.of(args));
    var result = chroot.run(argv.toArray(String[]::new));
    if (result.status() != 0 && result.err().contains("Unable to fetch")) {
      var update = chroot.run("apt-get", "-q", "-o", "APT::Sandbox::User=root", "update");
      assertEquals(0, update.status(), update.both());
      result = chroot.run(argv.toArray(String[]::new));
    }
    assertEquals(0, result.status(), String.join(" ", argv) + " in " + suite + ": " + result.both());
    return result;
  }

  @Test
  @Order(1)
  void installsTheLauncherJarManPagesAndCompletionInTheirPlaces() throws Exception {
    for (String path : List.of("/usr/bin/gotrace", "/usr/share/gotrace/gotrace.jar", "/usr/share/gotrace/jvm-options",
        "/usr/share/gotrace/cds-archive",
        "/usr/share/man/man1/gotrace.1.gz", "/usr/share/man/man1/gotrace-list.1.gz",
        "/usr/share/bash-completion/completions/gotrace", "/usr/share/zsh/vendor-completions/_gotrace",
        "/usr/share/doc/gotrace/copyright", "/usr/share/doc/gotrace/changelog.gz")) {
      assertTrue(Files.isRegularFile(chroot.path(path)), path + " in " + suite);
    }
    assertTrue(Files.isExecutable(chroot.path("/usr/bin/gotrace")));
  }

  @Test
  @Order(2)
  void printsTheBuildsVersion() throws Exception {
    var result = chroot.run("gotrace", "--version");
    assertEquals(0, result.status(), result.both());
    assertEquals("gotrace " + version(), result.out().lines().findFirst().orElse(""), result.both());
  }

  /**
   * postinst made an AppCDS archive for the installed java, the launcher maps it (-Xshare:on fails
   * the JVM when it cannot) and gotrace's classes come from it; a changed JRE makes a new one.
   */
  @Test
  @Order(2)
  void startsFromTheAppCdsArchivePostinstMade() throws Exception {
    Path archive = chroot.path("/var/cache/gotrace/gotrace.jsa");
    assertTrue(Files.isRegularFile(archive), "no AppCDS archive in /var/cache/gotrace");
    var result = chroot.run("env", "GOTRACE_JAVA_OPTS=-Xshare:on -Xlog:class+load=info", "gotrace", "--version");
    assertEquals(0, result.status(), result.both());
    assertTrue(result.out().contains("dev.gotrace.cli.Main source: shared objects file"), result.both());

    var made = Files.getLastModifiedTime(archive);
    var trigger = chroot.bash("dpkg-trigger --no-await /usr/lib/jvm && dpkg --triggers-only gotrace");
    assertEquals(0, trigger.status(), trigger.both());
    assertTrue(Files.getLastModifiedTime(archive).compareTo(made) > 0, "the JRE trigger made no new archive");
  }

  @Test
  @Order(3)
  void rendersItsManPage() throws Exception {
    var where = chroot.run("man", "-w", "gotrace-list");
    assertEquals("/usr/share/man/man1/gotrace-list.1.gz", where.out().strip(), where.both());
    // as a user reads it (root's man would also leave a formatted copy in man-db's cache)
    var page = chroot.run("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
        "env", "HOME=/tmp", "MANWIDTH=80", "man", "gotrace-list");
    assertEquals(0, page.status(), page.both());
    String text = page.out().replaceAll(".\b", ""); // no overstrike, whatever the pager settings
    assertTrue(text.contains("gotrace-list - List a Go binary's functions"), text);
    assertTrue(text.contains("SYNOPSIS") && text.contains("gotrace list ["), text);
  }

  @Test
  @Order(4)
  void listsTheDemoServersFunctions() throws Exception {
    Files.copy(TestBinaries.demoServer(), chroot.path("/tmp/server"), StandardCopyOption.COPY_ATTRIBUTES);
    var result = chroot.run("gotrace", "list", "/tmp/server", "main.*");
    assertEquals(0, result.status(), result.both());
    List<String> lines = result.out().lines().toList();
    List<String> functions = lines.subList(0, lines.size() - 1);
    assertTrue(functions.stream().anyMatch(l -> l.matches("0x[0-9a-f]+ +main\\.handler +\\S+/main\\.go:\\d+")), result.both());
    assertTrue(functions.stream().anyMatch(l -> l.matches("0x[0-9a-f]+ +main\\.main +\\S+/main\\.go:\\d+")), result.both());
    assertTrue(functions.stream().allMatch(l -> l.matches("0x[0-9a-f]+ +main\\.\\S+ +\\S+:\\d+")), result.both());
    assertEquals(functions.size() + " functions", lines.get(lines.size() - 1), result.both());
  }

  /**
   * bash-completion as an interactive shell has it: its default completion (-D, the on-demand
   * loader) runs first, loads /usr/share/bash-completion/completions/gotrace and asks for a retry
   * (status 124), as bash does on Tab; then the function it registered for gotrace completes.
   */
  @Test
  @Order(5)
  void completesASubcommandInBash() throws Exception {
    String script = """
        source /usr/share/bash-completion/bash_completion
        fn() { complete -p "$@" 2>/dev/null | sed -n 's/.* -F \\([^ ]*\\).*/\\1/p'; }
        COMP_WORDS=(gotrace lat); COMP_CWORD=1; COMP_LINE='gotrace lat'; COMP_POINT=${#COMP_LINE}
        [ -z "$(fn gotrace)" ] || { echo 'gotrace completion loaded before the first Tab' >&2; exit 1; }
        loader=$(fn -D)
        "$loader" gotrace lat gotrace; status=$?
        [ "$status" = 124 ] || { echo "$loader returned $status, not 124" >&2; exit 1; }
        COMPREPLY=()
        "$(fn gotrace)" gotrace lat gotrace
        printf '%s\\n' "${COMPREPLY[@]}"
        """;
    var result = chroot.bash(script);
    assertEquals(0, result.status(), result.both());
    assertEquals(List.of("latency"), result.out().lines().map(String::strip).toList(), result.both());
  }

  @Test
  @Order(9)
  void purgeLeavesNoFileBehind() throws Exception {
    apt("purge", "-y", "gotrace");
    assertNotEquals(0, chroot.run("dpkg", "-s", "gotrace").status(), "gotrace still known to dpkg");
    TreeSet<String> after = chroot.files();
    TreeSet<String> left = new TreeSet<>(after);
    left.removeAll(before);
    TreeSet<String> gone = new TreeSet<>(before);
    gone.removeAll(after);
    assertEquals(List.of(), List.copyOf(left), "files left behind by gotrace in " + suite);
    assertEquals(List.of(), List.copyOf(gone), "files removed by purging gotrace in " + suite);
  }
}
