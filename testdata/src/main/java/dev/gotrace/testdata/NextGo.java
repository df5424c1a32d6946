package dev.gotrace.testdata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A Go release gotrace has never seen, made from a real one: the binary's build-info version
 * string rewritten from {@code go1.NN} to {@code go1.99} (same length, so nothing else moves).
 * The version is the first string after the 32-byte {@code .go.buildinfo} header, which starts
 * with {@code "\xff Go buildinf:"} (cmd/go/internal/version, debug/buildinfo).
 */
public final class NextGo {
  private static final String HEADER = "\u00ff Go buildinf:";

  private NextGo() {}

  /** The bytes of {@code t} with its version relabelled go1.99. */
  public static byte[] image(TestBinary t) throws IOException {
    byte[] img = Files.readAllBytes(t.path());
    String s = new String(img, StandardCharsets.ISO_8859_1);
    int header = s.indexOf(HEADER);
    String from = "go1." + t.goMinor();
    int at = header < 0 ? -1 : s.indexOf(from, header);
    if (header < 0 || at < 0 || at > header + 64 || s.indexOf(HEADER, header + 1) >= 0) {
      throw new IllegalStateException(t.label() + ": no single build-info version string " + from);
    }
    System.arraycopy("go1.99".getBytes(StandardCharsets.US_ASCII), 0, img, at, from.length());
    return img;
  }

  /** Writes the relabelled copy of {@code t} to {@code out}, executable; returns {@code out}. */
  public static Path write(TestBinary t, Path out) throws IOException {
    Files.write(out, image(t));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
    return out;
  }
}
