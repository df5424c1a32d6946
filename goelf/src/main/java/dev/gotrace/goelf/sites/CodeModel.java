package dev.gotrace.goelf.sites;

import dev.gotrace.goelf.code.InvalidInstructionException;
import java.util.Optional;
import java.util.OptionalLong;

/** What the analysis needs from one instruction set. */
interface CodeModel {
  /** Decodes {@code fn} linearly from its entry into the empty {@code into}, stopping at trailing padding. */
  void decode(FunctionCode fn, Listing into) throws InvalidInstructionException;

  /** The jump table behind the indirect jump at index {@code jump}, if it is one. */
  Optional<JumpTable> jumpTable(FunctionCode fn, Listing listing, int jump, MemoryReader memory);

  /**
   * The TLS offset of {@code g} if instructions {@code [0, end)} load {@code g} from thread-local
   * storage.
   */
  OptionalLong tlsGOffset(Listing listing, int end, MemoryReader memory);

  /**
   * The offset of {@code g.stackguard0} if instructions {@code [0, end)} compare the stack
   * pointer with a field of {@code g} held in the register ABI's g register (amd64 R14).
   */
  OptionalLong registerGStackGuard(Listing listing, int end);

  /** Checks that every target read from a table is a decoded instruction of the function. */
  static boolean allInside(FunctionCode fn, Listing listing, Iterable<Long> targets) {
    for (long t : targets) {
      if (!fn.contains(t) || listing.indexOf(t) < 0) {
        return false;
      }
    }
    return true;
  }
}
