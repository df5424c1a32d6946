package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.version.GoVersion;
import java.util.List;
import java.util.Optional;

/**
 * The {@code runtime.g} offsets per Go version and architecture: only a cross-check of the
 * layout that {@link dev.gotrace.goelf.rtype.GLayoutDeriver} reads from a DWARF-less binary's
 * own type descriptor (a version the table does not know uses the derived layout alone; one it
 * knows must agree with it). Source: {@code runtime/runtime2.go} of each release; the rows for
 * go1.15, go1.19, go1.22, go1.24, go1.25, go1.26 and go1.27 were read from the DWARF of real
 * builds (amd64, arm64, 386) and checked with gdb's {@code ptype/o}; a test compares every binary
 * of the test matrix with this table. Go 1.23 inserted {@code g.syscallbp} before {@code goid},
 * moving it one word later; Go 1.25 dropped {@code gobuf.ret} from {@code g.sched}, moving it
 * one word back (to where it was in Go 1.22). Minors between the measured ones (1.16–1.18,
 * 1.20–1.21, 1.23) follow runtime2.go, in which the fields before {@code goid} did not change
 * size in those releases.
 */
public final class KnownGLayouts {
  private record Row(int fromMinor, int toMinor, Arch arch, GLayout layout) {}

  private static final GLayout WORD8_OLD = new GLayout(0, 8, 152, 48, 56);
  private static final GLayout WORD8_NEW = new GLayout(0, 8, 160, 48, 56);
  private static final GLayout WORD4_OLD = new GLayout(0, 4, 80, 24, 28);
  private static final GLayout WORD4_NEW = new GLayout(0, 4, 84, 24, 28);

  private static final List<Row> ROWS = List.of(
      new Row(15, 22, Arch.AMD64, WORD8_OLD),
      new Row(23, 24, Arch.AMD64, WORD8_NEW),
      new Row(15, 22, Arch.ARM64, WORD8_OLD),
      new Row(23, 24, Arch.ARM64, WORD8_NEW),
      new Row(15, 22, Arch.I386, WORD4_OLD),
      new Row(23, 24, Arch.I386, WORD4_NEW),
      // go1.25: gobuf lost ret (runtime2.go), so goid is back one word: the 1.22 offsets.
      new Row(25, 27, Arch.AMD64, WORD8_OLD),
      new Row(25, 27, Arch.ARM64, WORD8_OLD),
      new Row(25, 27, Arch.I386, WORD4_OLD));

  /** The oldest and newest Go minor the table covers. */
  public static final int OLDEST_MINOR = 15;
  public static final int NEWEST_MINOR = 27;

  private KnownGLayouts() {}

  /**
   * The layout for {@code version} on {@code arch}; empty when the minor is not known exactly or
   * is outside {@link #OLDEST_MINOR}..{@link #NEWEST_MINOR}.
   */
  public static Optional<GLayout> forVersion(GoVersion version, Arch arch) {
    if (!version.minorKnown() || version.major() != 1) {
      return Optional.empty();
    }
    int minor = version.minor();
    return ROWS.stream()
        .filter(r -> r.arch == arch && minor >= r.fromMinor && minor <= r.toMinor)
        .map(Row::layout)
        .findFirst();
  }
}
