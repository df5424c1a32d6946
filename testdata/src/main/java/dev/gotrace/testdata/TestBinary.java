package dev.gotrace.testdata;

import java.nio.file.Path;

/**
 * One built test program of the matrix.
 *
 * @param goVersion the toolchain's full version, e.g. {@code go1.22.12}
 * @param series the toolchain series, e.g. {@code go1.22}
 * @param arch GOARCH: {@code amd64}, {@code arm64} or {@code 386}
 * @param variant {@code default}, {@code stripped}, {@code pie}, {@code extlink} or {@code trimpath}
 * @param program {@code server}, {@code workload} or {@code cgo}
 * @param path where the binary lies
 */
public record TestBinary(
    String goVersion, String series, String arch, String variant, String program, Path path) {

  /** Minor version of the toolchain: 15 for go1.15. */
  public int goMinor() {
    return Integer.parseInt(series.substring(series.indexOf('.') + 1));
  }

  /** A short label for test names: {@code go1.22/amd64/pie/server}. */
  public String label() {
    return series + "/" + arch + "/" + variant + "/" + program;
  }

  @Override
  public String toString() {
    return label();
  }
}
