package dev.gotrace.goelf;

import dev.gotrace.goelf.moduledata.ModuleLayout;
import dev.gotrace.goelf.pclntab.PclntabFormat;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The one statement of which Go releases gotrace reads, used by the refusals that name it and
 * checked against the README ("Supported Go versions and architectures") by a test.
 */
public final class SupportedGo {
  /** The oldest Go release read: the first module data layout gotrace knows ({@code ModuleLayout.GO112}). */
  public static final int OLDEST_MINOR = 12;
  /** The newest Go release whose layouts gotrace has read from its sources. */
  public static final int NEWEST_KNOWN_MINOR = ModuleLayout.NEWEST_MINOR;

  private SupportedGo() {}

  /**
   * "Go 1.12 and later (layouts known up to Go 1.27; a newer release as far as the binary proves
   * them)", as the README and the refusals write it.
   */
  public static String statement() {
    return "Go 1." + OLDEST_MINOR + " and later (layouts known up to Go 1." + NEWEST_KNOWN_MINOR
        + "; a newer release as far as the binary proves them)";
  }

  /** The refusal of an unknown pclntab magic: what gotrace reads and the magics it knows. */
  public static String unknownMagic(long magic) {
    return "pclntab magic 0x" + Long.toHexString(magic) + " is not one gotrace reads (it reads " + statement()
        + ", pclntab magics " + Arrays.stream(PclntabFormat.values()).map(f -> "0x" + Long.toHexString(f.magic()))
            .collect(Collectors.joining(", ")) + ")";
  }
}
