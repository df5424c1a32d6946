package dev.gotrace.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release jar as a user gets it: {@code dist/target/gotrace-VERSION.jar}, one self-contained
 * file that runs on its own, says the build's version, and is the same bytes whenever its commit is
 * built again.
 */
class ReleaseJarIT {
  private static final String VERSION = System.getProperty("gotrace.version");
  private static final Path JAR = Path.of(System.getProperty("gotrace.releaseJar"));

  @Test
  void namedAndVersionedByTheBuild() throws IOException {
    assertEquals("gotrace-" + VERSION + ".jar", JAR.getFileName().toString());
    try (JarFile jar = new JarFile(JAR.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals(VERSION, main.getValue("Implementation-Version"));
      assertEquals("dev.gotrace.cli.Main", main.getValue("Main-Class"));
    }
  }

  @Test
  void runsAloneFromAnotherDirectory(@TempDir Path dir) throws Exception {
    Path jar = Files.copy(JAR, dir.resolve(JAR.getFileName()));
    Path demo = Files.copy(TestBinaries.repoRoot().resolve("testdata/bin/server"), dir.resolve("server"));
    Command.Result version = Command.run(dir, Map.of(),
        List.of("java", "-jar", jar.getFileName().toString(), "--version"), 60);
    assertEquals(0, version.status(), version.both());
    assertEquals("gotrace " + VERSION, version.out().lines().findFirst().orElse(""));

    Command.Result list = Command.run(dir, Map.of(),
        List.of("java", "-jar", jar.toString(), "list", demo.toString(), "main.*"), 60);
    assertEquals(0, list.status(), list.both());
    assertTrue(list.out().contains("main.prepareAnswer"), list.both());
    assertTrue(list.out().contains("7 functions"), list.both());
  }

  /**
   * Clones the checkout's commit and builds the release jar there, at another path, in another
   * time zone and with another umask; the bytes must equal this build's jar. When the working tree
   * differs from its commit, this build's jar is not the commit's, so the commit is built twice.
   */
  @Test
  void sameCommitBuildsTheSameBytes(@TempDir Path dir) throws Exception {
    Path repo = TestBinaries.repoRoot();
    String commit = git(repo, "rev-parse", "HEAD").strip();
    boolean clean = git(repo, "status", "--porcelain", "--untracked-files=no").isBlank();

    Path again = build(repo, commit, dir.resolve("a"), "Pacific/Kiritimati", "077");
    Path reference = clean ? JAR : build(repo, commit, dir.resolve("b"), "America/Los_Angeles", "022");
    byte[] expected = Files.readAllBytes(reference);
    byte[] actual = Files.readAllBytes(again);
    if (!java.util.Arrays.equals(expected, actual)) {
      throw new AssertionError("the release jar of commit " + commit + " differs between two builds ("
          + expected.length + " and " + actual.length + " bytes); entries that differ: "
          + differingEntries(reference, again));
    }
  }

  private static Path build(Path repo, String commit, Path into, String zone, String umask) throws Exception {
    git(into.getParent(), "clone", "--quiet", "--no-hardlinks", repo.toString(), into.toString());
    git(into, "checkout", "--quiet", "--detach", commit);
    String mvn = Path.of(System.getProperty("gotrace.mavenHome"), "bin", "mvn").toString();
    String command = "umask " + umask + " && exec " + mvn + " -B -q -o"
        + " -Dmaven.repo.local=" + System.getProperty("gotrace.localRepository")
        + " -Dmaven.test.skip=true -Dexec.skip -Dasciidoctor.skip -Dmaven.javadoc.skip=true -Dgotrace.cds.skip=true"
        + " -pl dist -am package";
    Command.Result run = Command.run(into, Map.of("TZ", zone, "LC_ALL", "C"), List.of("sh", "-c", command), 900);
    assertEquals(0, run.status(), "building " + commit + " in " + into + " failed:\n" + run.both());
    Path jar = into.resolve("dist/target").resolve(JAR.getFileName());
    assertTrue(Files.isRegularFile(jar), "the build made no " + jar);
    return Files.copy(jar, into.getParent().resolve(into.getFileName() + ".jar"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Command.Result run = Command.run(dir, Map.of(), command, 120);
    assertEquals(0, run.status(), String.join(" ", command) + ":\n" + run.both());
    return run.out();
  }

  /** Entries whose name, size, CRC or time differ, for a failure message a person can act on. */
  private static List<String> differingEntries(Path a, Path b) throws IOException {
    Map<String, String> left = entries(a);
    Map<String, String> right = entries(b);
    List<String> out = new ArrayList<>();
    for (String name : left.keySet()) {
      if (!left.get(name).equals(right.get(name))) {
        out.add(name);
      }
    }
    right.keySet().stream().filter(n -> !left.containsKey(n)).forEach(out::add);
    return out.size() > 20 ? out.subList(0, 20) : out;
  }

  private static Map<String, String> entries(Path jar) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (JarFile f = new JarFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> e = f.entries(); e.hasMoreElements(); ) {
        ZipEntry z = e.nextElement();
        out.put(z.getName(), z.getSize() + "/" + z.getCrc() + "/" + z.getTime());
      }
    }
    return out;
  }
}
