package dev.gotrace.core.decode;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.dwarf.GoDwarf;
import dev.gotrace.goelf.dwarf.GoType;
import dev.gotrace.goelf.elf.ElfSymbol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names the dynamic type of an interface value from its type word: an empty interface holds a
 * type descriptor ({@code *abi.Type}), a non-empty one an itab whose type pointer is its second
 * word ({@code abi.ITab.Type}, runtime/runtime2.go before 1.22). A descriptor's offset from
 * {@code runtime.types} is the key of DWARF's {@code DW_AT_go_runtime_type}. Itabs the linker laid
 * out (every conversion the compiler saw) are read from the file; itabs built at run time are not.
 */
public interface TypeNames {
  /**
   * The name of the type whose descriptor or itab (link-time address) is {@code word}.
   *
   * @param itab whether the word is an itab (non-empty interface) rather than a descriptor
   */
  Optional<String> name(long word, boolean itab);

  /** Names nothing (no DWARF). */
  static TypeNames none() {
    return (w, i) -> Optional.empty();
  }

  /** Through a binary's DWARF and symbol table. */
  static TypeNames of(GoBinary bin) {
    Optional<GoDwarf> dwarf;
    long types;
    try {
      dwarf = bin.dwarfFor(List.of()); // every Go type, in the runtime's units
      types = bin.elf().symbols().lookup("runtime.types").map(ElfSymbol::value).orElse(0L);
    } catch (GoBinaryException e) {
      return none();
    }
    if (dwarf.isEmpty() || types == 0) {
      return none();
    }
    Map<Long, Optional<String>> cache = new HashMap<>();
    return (word, itab) -> cache.computeIfAbsent(word * 2 + (itab ? 1 : 0), k -> {
      long desc = word;
      if (itab) {
        try {
          byte[] b = bin.readAt(word + 8, 8);
          desc = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        } catch (GoBinaryException | RuntimeException e) {
          return Optional.empty();
        }
      }
      return dwarf.get().typeByRuntimeOffset(desc - types).map(GoType::name);
    });
  }
}
