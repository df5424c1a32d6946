package dev.gotrace.core.abi;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.arch.Register;
import dev.gotrace.goelf.dwarf.Param;
import dev.gotrace.goelf.dwarf.Place;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Lays out parameters from the locations DWARF gives them at one instruction, rather than from
 * the ABI: how the arguments of an inlined copy are found at its first instruction, where they
 * live in whatever registers or stack slots the enclosing function chose. A parameter without a
 * usable location there (a constant the compiler folded, a value not yet computed, an
 * expression this reader does not follow) gets no pieces: {@link ParamLayout#located()} is false.
 */
public final class DwarfPlaces {
  private DwarfPlaces() {}

  /**
   * Where each of {@code params} is at {@code pc} of an {@code arch} (x86) function whose stack
   * pointer is {@code spDelta} bytes below its value at the function's entry there (the pclntab's
   * SP delta). Registers are DWARF's numbers in {@code arch}'s table ({@link Arch#dwarfRegister});
   * the stack pointer, which Go never uses for a value, is not a location. Stack locations are
   * DWARF's offsets from the CFA, which is SP at entry plus the return address CALL pushed (a
   * word): {@code CFA + n} is {@code SP + spDelta + 8 + n} at the probe on amd64.
   */
  public static List<ParamLayout> at(Arch arch, List<Param> params, long pc, long spDelta) {
    List<ParamLayout> out = new ArrayList<>(params.size());
    for (Param p : params) {
      long size = Math.max(0, p.type().underlying().size());
      List<Piece> pieces = p.placeAt(pc).map(place -> pieces(arch, place, size, spDelta)).orElse(List.of());
      out.add(new ParamLayout(p.name(), p.type(), p.result(), size, pieces));
    }
    return out;
  }

  /** The pieces of a value of {@code size} bytes at {@code place}, or none if any byte is unknown. */
  private static List<Piece> pieces(Arch arch, Place place, long size, long spDelta) {
    List<Piece> out = new ArrayList<>();
    if (place instanceof Place.Pieces ps) {
      long off = 0;
      for (Place.Piece pc : ps.pieces()) {
        if (pc.place().isEmpty() || !add(arch, out, off, pc.size(), pc.place().get(), spDelta)) {
          return List.of();
        }
        off += pc.size();
      }
      return off <= size ? out : List.of();
    }
    return size > 0 && add(arch, out, 0, size, place, spDelta) ? out : List.of();
  }

  private static boolean add(Arch arch, List<Piece> out, long off, long size, Place place, long spDelta) {
    if (size <= 0 || size > Integer.MAX_VALUE) {
      return false;
    }
    int n = (int) size;
    if (place instanceof Place.Register r) {
      OptionalInt vector = arch.dwarfFloatRegister(r.dwarfRegister());
      if (vector.isPresent()) {
        out.add(new Piece(off, n, new ArgLocation.FloatRegister(arch.floatRegisterName(vector.getAsInt()))));
        return true;
      }
      Optional<Register> reg = arch.dwarfRegister(r.dwarfRegister()).filter(x -> !x.equals(arch.stackPointer()));
      if (reg.isEmpty() || !(n == 1 || n == 2 || n == 4 || n == 8)) {
        return false;
      }
      out.add(new Piece(off, n, new ArgLocation.InRegister(reg.get())));
      return true;
    }
    if (place instanceof Place.CfaOffset c) {
      long sp = spDelta + arch.ptrSize() + c.offset();
      if (sp < 0) {
        return false;
      }
      out.add(new Piece(off, n, new ArgLocation.Stack(sp)));
      return true;
    }
    return false;
  }
}
