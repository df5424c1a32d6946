package dev.gotrace.goelf.pclntab;

import dev.gotrace.goelf.GoBinaryException;

/**
 * Decides runtime.text, the base of function entries in a Go 1.18+ table. The header recorded it
 * until Go 1.25; from Go 1.26 only the module data does, so the decision (and its proof) lives
 * with the module data reader, outside this package.
 */
@FunctionalInterface
public interface TextStart {
  /** runtime.text for the table with this header; throws when it cannot be proven. */
  long of(PcHeader header) throws GoBinaryException;
}
