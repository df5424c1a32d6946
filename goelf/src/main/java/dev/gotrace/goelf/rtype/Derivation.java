package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.dwarf.GLayout;
import java.util.List;

/** What reading runtime.g's layout out of the binary's own bytes gave. */
public sealed interface Derivation permits Derivation.Derived, Derivation.NotDerived {
  /**
   * A layout proven from g's type descriptor.
   *
   * @param layout the offsets
   * @param descriptor address of runtime.g's type descriptor
   * @param checks what the runtime's own code confirmed, or why a check did not apply
   */
  record Derived(GLayout layout, long descriptor, List<String> checks) implements Derivation {}

  /** Nothing proven; {@code reason} says what was missing or did not agree. */
  record NotDerived(String reason) implements Derivation {}
}
