package dev.gotrace.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one way tests find Go binaries: the matrix that {@code testdata/build.sh} builds into the
 * cache ({@code $GOTRACE_CACHE}, default {@code ~/.cache/gotrace}), listed in {@code matrix.tsv},
 * and the demo server checked in under {@code testdata/bin/}.
 *
 * <p>When the matrix is missing, tests fail under {@code CI=true} and are skipped elsewhere with
 * a message saying how to build it.
 */
public final class TestBinaries {
  private static List<TestBinary> matrix;

  private TestBinaries() {}

  /** Whether this run is CI ({@code CI=true}), where nothing may be skipped. */
  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Whether this process runs as root (uid 0). */
  public static boolean isRoot() {
    try {
      return Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * For tests that need root (real uprobes): skip off CI when not root, saying why; under CI a
   * missing privilege is a failure.
   */
  public static void requireRoot() {
    if (isRoot()) {
      return;
    }
    if (inCi()) {
      Assertions.fail("this test needs root (bpf, perf_event_open) and CI=true forbids skipping");
    }
    Assumptions.abort("skipped: needs root for bpf(2) and perf_event_open(2); run as root or in CI");
  }

  /** The repository's root directory. */
  public static Path repoRoot() {
    String prop = System.getProperty("gotrace.repo");
    Path start = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("testdata/go")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the gotrace repository above " + start);
  }

  /** The cache directory holding toolchains and the built matrix. */
  public static Path cacheDir() {
    String env = System.getenv("GOTRACE_CACHE");
    if (env != null && !env.isEmpty()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "gotrace");
  }

  /** The checked-in demo server (amd64, recent Go, with DWARF). */
  public static Path demoServer() {
    return repoRoot().resolve("testdata/bin/server");
  }

  /** Every binary of the matrix; skips (off CI) or fails (CI) when it has not been built. */
  public static synchronized List<TestBinary> all() {
    if (matrix == null) {
      Path tsv = cacheDir().resolve("testdata/matrix.tsv");
      if (!Files.isRegularFile(tsv)) {
        missing("the test-binary matrix " + tsv + " does not exist");
      }
      matrix = read(tsv);
    }
    return matrix;
  }

  /** The binaries that satisfy {@code filter}. */
  public static List<TestBinary> where(Predicate<TestBinary> filter) {
    return all().stream().filter(filter).toList();
  }

  /** One binary, e.g. {@code get("go1.22", "amd64", "pie", "server")}. */
  public static TestBinary get(String series, String arch, String variant, String program) {
    Optional<TestBinary> b = all().stream()
        .filter(t -> t.series().equals(series) && t.arch().equals(arch)
            && t.variant().equals(variant) && t.program().equals(program))
        .findFirst();
    if (b.isEmpty()) {
      missing("the matrix has no " + series + "/" + arch + "/" + variant + "/" + program);
    }
    return b.get();
  }

  /** The unstripped twin of a stripped or distro build (see {@link TestBinary#unstrippedTwinVariant()}). */
  public static TestBinary twin(TestBinary stripped) {
    String variant = stripped.unstrippedTwinVariant()
        .orElseThrow(() -> new IllegalArgumentException(stripped + " has its symbols"));
    return get(stripped.series(), stripped.arch(), variant, stripped.program());
  }

  /**
   * The checkout's sources of {@code t}'s program ({@code testdata/go/PROGRAM}), once the stamp
   * build.sh wrote beside the binary says it was built from exactly these (its last word is the
   * hash of the sources); for reading the lines a {@code -trimpath} build names. A binary built
   * from other sources (a stale matrix) fails under CI and is skipped elsewhere.
   */
  public static Path sourcesOf(TestBinary t) {
    Path dir = repoRoot().resolve("testdata/go").resolve(t.program());
    Path stamp = Path.of(t.path() + ".stamp");
    String built = "";
    try {
      if (Files.isRegularFile(stamp)) {
        String[] words = Files.readString(stamp).trim().split(" ");
        built = words[words.length - 1];
      }
      if (!built.equals(sourcesHash(dir))) {
        missing(t + " was not built from " + dir + " (stamp " + stamp + " says sources " + built
            + ", the checkout's are " + sourcesHash(dir) + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /**
   * build.sh's sources_hash: {@code find . -name '*.go' | LC_ALL=C sort | xargs sha256sum |
   * sha256sum | cut -c1-16}.
   */
  static String sourcesHash(Path dir) throws IOException {
    List<String> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".go"))
          .map(p -> "./" + dir.relativize(p).toString().replace('\\', '/'))
          .sorted((a, b) -> java.util.Arrays.compare(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
              b.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .toList();
    }
    StringBuilder listing = new StringBuilder();
    for (String f : files) {
      listing.append(sha256(Files.readAllBytes(dir.resolve(f.substring(2))))).append("  ").append(f).append('\n');
    }
    return sha256(listing.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
  }

  private static String sha256(byte[] data) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The series built, oldest first, e.g. [go1.15, go1.19, go1.22, go1.24]. */
  public static List<String> series() {
    return all().stream().map(TestBinary::series).distinct()
        .sorted((a, b) -> Integer.compare(minor(a), minor(b))).toList();
  }

  private static int minor(String series) {
    return Integer.parseInt(series.substring(series.indexOf('.') + 1));
  }

  private static List<TestBinary> read(Path tsv) {
    List<TestBinary> out = new ArrayList<>();
    try (Stream<String> lines = Files.lines(tsv)) {
      lines.filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
        String[] f = l.split("\t");
        if (f.length != 6) {
          throw new IllegalStateException(tsv + ": bad line: " + l);
        }
        Path p = Path.of(f[5]);
        if (Files.isRegularFile(p)) {
          out.add(new TestBinary(f[0], f[1], f[2], f[3], f[4], p));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (out.isEmpty()) {
      missing(tsv + " lists no existing binary");
    }
    return List.copyOf(out);
  }

  private static void missing(String what) {
    String hint = what + "; build it with: bash testdata/build.sh";
    if (inCi()) {
      Assertions.fail(hint);
    }
    Assumptions.abort("skipped: " + hint);
  }
}
