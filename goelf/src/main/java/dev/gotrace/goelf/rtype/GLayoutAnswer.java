package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.dwarf.GLayout;
import java.util.Optional;

/** Where g's fields are, and how that is known, or why gotrace refuses to say. */
public sealed interface GLayoutAnswer permits GLayoutAnswer.Proven, GLayoutAnswer.Refused {
  /** How a layout was proven. */
  enum Source {
    /** The DWARF description of runtime.g (the binary's or its separate debug file's). */
    DWARF,
    /** runtime.g's type descriptor, found through runtime.malg's code ({@link GLayoutDeriver}). */
    TYPE_DESCRIPTOR
  }

  /**
   * @param layout the offsets
   * @param source where they came from
   * @param evidence one line saying what agreed, for notes and {@code --debug}
   */
  record Proven(GLayout layout, Source source, String evidence) implements GLayoutAnswer {}

  /** @param reason one line naming what was missing or did not agree */
  record Refused(String reason) implements GLayoutAnswer {}

  /** The layout when proven. */
  default Optional<GLayout> known() {
    return this instanceof Proven p ? Optional.of(p.layout()) : Optional.empty();
  }

  /** Whether the layout came from DWARF. */
  default boolean fromDwarf() {
    return this instanceof Proven p && p.source() == Source.DWARF;
  }

  /** {@code goid 152, m 48, sched 56, stack 0..8}. */
  static String describe(GLayout g) {
    return "goid " + g.goid() + ", m " + g.m() + ", sched " + g.sched() + ", stack.lo/hi "
        + g.stackLo() + "/" + g.stackHi();
  }
}
