package dev.gotrace.core.abi;

import dev.gotrace.goelf.dwarf.Param;
import dev.gotrace.goelf.dwarf.Place;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out parameters from the locations DWARF gives them at one instruction, rather than from
 * the ABI: how the arguments of an inlined copy are found at its first instruction, where they
 * live in whatever registers or stack slots the enclosing function chose. A parameter without a
 * usable location there (a constant the compiler folded, a value not yet computed, an
 * expression this reader does not follow) gets no pieces: {@link ParamLayout#located()} is false.
 */
public final class DwarfPlaces {
  /**
   * amd64 DWARF register numbers 0–15 (System V psABI, figure 3.36) with their offsets in
   * {@code struct pt_regs}; 7 is RSP, which Go never uses for a value.
   */
  private static final List<ArgLocation.Register> AMD64 = List.of(
      new ArgLocation.Register("rax", 80), new ArgLocation.Register("rdx", 96),
      new ArgLocation.Register("rcx", 88), new ArgLocation.Register("rbx", 40),
      new ArgLocation.Register("rsi", 104), new ArgLocation.Register("rdi", 112),
      new ArgLocation.Register("rbp", 32), new ArgLocation.Register("rsp", 152),
      new ArgLocation.Register("r8", 72), new ArgLocation.Register("r9", 64),
      new ArgLocation.Register("r10", 56), new ArgLocation.Register("r11", 48),
      new ArgLocation.Register("r12", 24), new ArgLocation.Register("r13", 16),
      new ArgLocation.Register("r14", 8), new ArgLocation.Register("r15", 0));
  /** DWARF numbers of XMM0–XMM15. */
  private static final int XMM0 = 17;
  private static final int XMM15 = 32;
  private static final int RSP = 7;

  private DwarfPlaces() {}

  /**
   * Where each of {@code params} is at {@code pc} of an amd64 function whose stack pointer is
   * {@code spDelta} bytes below its value at the function's entry there (the pclntab's SP delta).
   * Stack locations are DWARF's offsets from the CFA, which is SP at entry plus the return
   * address: {@code CFA + n} is {@code SP + spDelta + 8 + n} at the probe.
   */
  public static List<ParamLayout> at(List<Param> params, long pc, long spDelta) {
    List<ParamLayout> out = new ArrayList<>(params.size());
    for (Param p : params) {
      long size = Math.max(0, p.type().underlying().size());
      List<Piece> pieces = p.placeAt(pc).map(place -> pieces(place, size, spDelta)).orElse(List.of());
      out.add(new ParamLayout(p.name(), p.type(), p.result(), size, pieces));
    }
    return out;
  }

  /** The pieces of a value of {@code size} bytes at {@code place}, or none if any byte is unknown. */
  private static List<Piece> pieces(Place place, long size, long spDelta) {
    List<Piece> out = new ArrayList<>();
    if (place instanceof Place.Pieces ps) {
      long off = 0;
      for (Place.Piece pc : ps.pieces()) {
        if (pc.place().isEmpty() || !add(out, off, pc.size(), pc.place().get(), spDelta)) {
          return List.of();
        }
        off += pc.size();
      }
      return off <= size ? out : List.of();
    }
    return size > 0 && add(out, 0, size, place, spDelta) ? out : List.of();
  }

  private static boolean add(List<Piece> out, long off, long size, Place place, long spDelta) {
    if (size <= 0 || size > Integer.MAX_VALUE) {
      return false;
    }
    int n = (int) size;
    if (place instanceof Place.Register r) {
      int reg = r.dwarfRegister();
      if (reg >= XMM0 && reg <= XMM15) {
        out.add(new Piece(off, n, new ArgLocation.FloatRegister("x" + (reg - XMM0))));
        return true;
      }
      if (reg < 0 || reg >= AMD64.size() || reg == RSP || !(n == 1 || n == 2 || n == 4 || n == 8)) {
        return false;
      }
      out.add(new Piece(off, n, AMD64.get(reg)));
      return true;
    }
    if (place instanceof Place.CfaOffset c) {
      long sp = spDelta + 8 + c.offset();
      if (sp < 0) {
        return false;
      }
      out.add(new Piece(off, n, new ArgLocation.Stack(sp)));
      return true;
    }
    return false;
  }
}
