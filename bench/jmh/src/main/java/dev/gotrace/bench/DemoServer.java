package dev.gotrace.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checked-in demo server (go1.24, amd64, DWARF), found from the repository root. */
final class DemoServer {
  private DemoServer() {}

  /** {@code -Dgotrace.root=DIR}, default the working directory, which bench/jmh.sh sets to the root. */
  static Path path() {
    Path p = Path.of(System.getProperty("gotrace.root", ".")).resolve("testdata/bin/server").toAbsolutePath();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " not found: run from the repository root or set -Dgotrace.root");
    }
    return p;
  }
}
