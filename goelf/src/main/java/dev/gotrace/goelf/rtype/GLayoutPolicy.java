package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.goelf.version.GoVersion;
import java.util.Optional;

/**
 * Which runtime.g layout gotrace uses (DESIGN.md fact 4): DWARF when present; else the layout
 * derived from g's type descriptor, which must equal the per-version table's row when the
 * table knows the version (an unknown version, such as the next Go, uses the derived layout
 * alone); when nothing can be derived, or derivation and table disagree, refuse.
 */
public final class GLayoutPolicy {
  /** The derivation, run only when DWARF does not answer. */
  @FunctionalInterface
  public interface Deriver {
    Derivation derive() throws GoBinaryException;
  }

  private GLayoutPolicy() {}

  public static GLayoutAnswer decide(Optional<GLayout> dwarf, Deriver deriver, Optional<GLayout> table,
      GoVersion version) throws GoBinaryException {
    if (dwarf.isPresent()) {
      return new GLayoutAnswer.Proven(dwarf.get(), GLayoutAnswer.Source.DWARF, "runtime.g from DWARF");
    }
    Derivation d = deriver.derive();
    if (d instanceof Derivation.NotDerived n) {
      return new GLayoutAnswer.Refused("no DWARF, and runtime.g's layout could not be read from the binary: "
          + n.reason());
    }
    Derivation.Derived got = (Derivation.Derived) d;
    String from = "runtime.g's type descriptor at 0x" + Long.toHexString(got.descriptor())
        + " (" + GLayoutAnswer.describe(got.layout()) + ")";
    if (table.isPresent() && !table.get().equals(got.layout())) {
      return new GLayoutAnswer.Refused("no DWARF, and " + from + " disagrees with gotrace's table for "
          + version + " (" + GLayoutAnswer.describe(table.get()) + ")");
    }
    String checks = got.checks().isEmpty() ? "" : "; " + String.join("; ", got.checks());
    return new GLayoutAnswer.Proven(got.layout(), GLayoutAnswer.Source.TYPE_DESCRIPTOR, from
        + (table.isPresent() ? ", equal to the table for " + version : ", " + version + " not in the table")
        + checks);
  }
}
