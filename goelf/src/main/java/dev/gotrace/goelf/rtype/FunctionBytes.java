package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.GoBinaryException;
import java.util.Optional;

/**
 * The machine code of one function of the binary.
 *
 * @param name its pclntab name
 * @param entry address of the first byte
 * @param code its bytes, up to the next function
 */
public record FunctionBytes(String name, long entry, byte[] code) {
  /** Where the deriver gets functions by name (the pclntab in {@code GoBinary}). */
  @FunctionalInterface
  public interface Source {
    Optional<FunctionBytes> function(String name) throws GoBinaryException;
  }
}
