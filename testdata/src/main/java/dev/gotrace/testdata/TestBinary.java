package dev.gotrace.testdata;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One built test program of the matrix.
 *
 * @param goVersion the toolchain's full version, e.g. {@code go1.22.12}
 * @param series the toolchain series, e.g. {@code go1.22}
 * @param arch GOARCH: {@code amd64}, {@code arm64} or {@code 386}
 * @param variant {@code default}, {@code stripped}, {@code pie}, {@code extlink}, {@code trimpath} or
 *     {@code distro} (flags per variant in {@code testdata/build.sh})
 * @param program {@code server}, {@code workload}, {@code cgo}, {@code forker} or {@code look}
 * @param path where the binary lies
 */
public record TestBinary(
    String goVersion, String series, String arch, String variant, String program, Path path) {

  /** Minor version of the toolchain: 15 for go1.15. */
  public int goMinor() {
    return Integer.parseInt(series.substring(series.indexOf('.') + 1));
  }

  /**
   * Linked with {@code -s -w}: no symbol table, no DWARF ({@code stripped}, {@code distro}).
   */
  public boolean isStripped() {
    return variant.equals("stripped") || variant.equals("distro");
  }

  /** Built with {@code CGO_ENABLED=1} ({@code extlink}, {@code distro}, the {@code cgo} program). */
  public boolean isCgo() {
    return variant.equals("extlink") || variant.equals("distro") || program.equals("cgo");
  }

  /** Linked by the C linker ({@code -linkmode=external}: {@code extlink}, {@code distro}). */
  public boolean isExternallyLinked() {
    return variant.equals("extlink") || variant.equals("distro");
  }

  /** Built with {@code -trimpath} ({@code trimpath}, {@code distro}). */
  public boolean isTrimpath() {
    return variant.equals("trimpath") || variant.equals("distro");
  }

  /**
   * The variant built from the same code with symbols kept, whose symbol table is the oracle for
   * a stripped build's function table: {@code default} for {@code stripped}, {@code extlink} for
   * {@code distro} (-trimpath changes file names and data addresses, not where code is; the
   * objdump oracle checks that); empty for a build that has symbols.
   */
  public Optional<String> unstrippedTwinVariant() {
    return switch (variant) {
      case "stripped" -> Optional.of("default");
      case "distro" -> Optional.of("extlink");
      default -> Optional.empty();
    };
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
