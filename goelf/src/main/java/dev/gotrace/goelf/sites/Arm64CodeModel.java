package dev.gotrace.goelf.sites;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.arm64.Arm64Decoder;
import dev.gotrace.goelf.arm64.Arm64Instruction;
import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.InvalidInstructionException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * arm64: zero-word padding, literal pools (words loaded by LDR (literal) are data, not code),
 * and Go's jump tables ({@code CMP Ri, #n-1; B.HI; ADRP Rt; ADD Rt, Rt, #lo; LDR Rj, [Rt, Ri,
 * LSL #3]; BR Rj}). {@code g} lives in R28, so there is no TLS offset.
 */
final class Arm64CodeModel implements CodeModel {
  private static final int WORD = Arm64Instruction.LENGTH;
  /** How far before the table address the bounds check may lie. */
  private static final int BOUND_WINDOW = 8;

  @Override
  public void decode(FunctionCode fn, Listing into) throws InvalidInstructionException {
    byte[] code = fn.code();
    if (code.length % WORD != 0 || (fn.entry() & 3) != 0) {
      throw new InvalidInstructionException(fn.entry(), "function is not a whole number of aligned words");
    }
    int words = code.length / WORD;
    while (words > 0 && wordAt(code, words - 1) == 0) {
      words--; // padding: UDF #0
    }
    // Words that an LDR (literal) of the function loads are data; an LDR (literal) always
    // decodes, so its word alone says what it loads.
    BitSet data = new BitSet(words);
    for (int i = 0; i < words; i++) {
      int w = wordAt(code, i);
      if (isLiteralLoad(w)) {
        long lit = Arm64Decoder.literalAddress(w, fn.entry() + (long) i * WORD);
        int size = literalSize(w);
        for (long a = lit; a < lit + size; a += WORD) {
          long idx = (a - fn.entry()) / WORD;
          if (a >= fn.entry() && idx < words) {
            data.set((int) idx);
          }
        }
      }
    }
    for (int i = 0; i < words; i++) {
      if (data.get(i)) {
        continue;
      }
      int w = wordAt(code, i);
      long address = fn.entry() + (long) i * WORD;
      Flow flow = Arm64Decoder.flow(w, address);
      into.add(i * WORD, WORD, flow, Arm64Decoder.target(w, flow, address), w);
    }
    into.end(fn.entry() + (long) words * WORD);
  }

  /** LDR (literal), LDRSW (literal) or PRFM (literal), as {@link Arm64Instruction#isLiteralLoad}. */
  private static boolean isLiteralLoad(int w) {
    return (w & 0x3b000000) == 0x18000000;
  }

  /** Bytes loaded by an LDR (literal): opc (bits 31:30) and V (bit 26); PRFM loads nothing. */
  private static int literalSize(int w) {
    int opc = w >>> 30;
    boolean simd = (w & (1 << 26)) != 0;
    if (simd) {
      return 4 << opc; // S, D, Q
    }
    return switch (opc) {
      case 0, 2 -> 4; // LDR Wt, LDRSW
      case 1 -> 8; // LDR Xt
      default -> 0; // PRFM
    };
  }

  private static int wordAt(byte[] code, int i) {
    int o = i * WORD;
    return (code[o] & 0xff) | (code[o + 1] & 0xff) << 8 | (code[o + 2] & 0xff) << 16
        | (code[o + 3] & 0xff) << 24;
  }

  @Override
  public Optional<JumpTable> jumpTable(FunctionCode fn, Listing listing, int j, MemoryReader memory) {
    if (j < 3) {
      return Optional.empty();
    }
    Arm64Instruction br = at(listing, j);
    Arm64Instruction ldr = at(listing, j - 1);
    Arm64Instruction add = at(listing, j - 2);
    Arm64Instruction adrp = at(listing, j - 3);
    int base = ldr.rn();
    int index = (ldr.word() >>> 16) & 0x1f;
    boolean shape = (ldr.word() & 0xffe0fc00) == 0xf8607800 && ldr.rd() == br.rn()
        && (add.word() & 0xffc00000) == 0x91000000 && add.rd() == base && add.rn() == base
        && (adrp.word() & 0x9f000000) == 0x90000000 && adrp.rd() == base;
    OptionalLong count = shape ? boundsCheck(listing, j - 4, index) : OptionalLong.empty();
    if (count.isEmpty()) {
      return Optional.empty();
    }
    long page = (adrp.address() & ~0xfffL) + (adrpImmediate(adrp.word()) << 12);
    long table = page + ((add.word() >>> 10) & 0xfff);
    List<Long> targets = new ArrayList<>();
    try {
      for (int e = 0; e < count.getAsLong(); e++) {
        targets.add(memory.readWord(table + 8L * e, 8));
      }
    } catch (CorruptBinaryException e) {
      return Optional.empty();
    }
    return CodeModel.allInside(fn, listing, targets)
        ? Optional.of(new JumpTable(br.address(), table, targets))
        : Optional.empty();
  }

  /**
   * {@code CMP index, #n-1} (SUBS XZR, Xi, #imm, unshifted) immediately followed by
   * {@code B.HI default}, found walking back from {@code from} over straight-line code (the
   * compiler may spill registers between the check and the table address).
   */
  private static OptionalLong boundsCheck(Listing listing, int from, int index) {
    for (int i = from; i > 0 && i > from - BOUND_WINDOW; i--) {
      Arm64Instruction bhi = at(listing, i);
      OptionalLong masked = bhi.rd() == index ? maskedEntries(bhi.word()) : OptionalLong.empty();
      if (masked.isPresent()) {
        return masked;
      }
      if (bhi.flow() == Flow.NEXT) {
        continue;
      }
      Arm64Instruction cmp = at(listing, i - 1);
      boolean ok = bhi.flow() == Flow.CONDITIONAL && (bhi.word() & 0xff00001f) == 0x54000008
          && (cmp.word() & 0xffc0001f) == 0xf100001f && cmp.rn() == index;
      return ok ? OptionalLong.of(((cmp.word() >>> 10) & 0xfff) + 1L) : OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /**
   * The number of values an instruction writing the index can leave in it, when the compiler
   * proved the range with a mask instead of a compare: {@code UBFX Xi, Xn, #lsb, #w} (UBFM with
   * imms >= immr) gives 2^w; {@code AND Xi, Xn, #2^k-1} (logical immediate with immr = 0 and a
   * single run of ones) gives 2^k.
   */
  private static OptionalLong maskedEntries(int w) {
    int immr = (w >>> 16) & 0x3f;
    int imms = (w >>> 10) & 0x3f;
    boolean sf = w < 0;
    boolean n = (w & (1 << 22)) != 0;
    boolean shapeOk = sf == n && (sf || imms < 32);
    if ((w & 0x7f800000) == 0x53000000 && shapeOk && imms >= immr && imms - immr < 12) {
      return OptionalLong.of(1L << (imms - immr + 1)); // UBFM: UBFX / LSR-free extract
    }
    if ((w & 0x7f800000) == 0x12000000 && shapeOk && immr == 0 && imms < 12) {
      return OptionalLong.of(1L << (imms + 1)); // AND (immediate), low mask
    }
    return OptionalLong.empty();
  }

  /** ADRP's signed 21-bit page offset immhi:immlo. */
  private static long adrpImmediate(int w) {
    int immlo = (w >>> 29) & 3;
    int immhi = (w >>> 5) & 0x7ffff;
    int v = (immhi << 2) | immlo;
    return (v << 11) >> 11;
  }

  @Override
  public OptionalLong tlsGOffset(Listing listing, int end, MemoryReader memory) {
    return OptionalLong.empty();
  }

  @Override
  public OptionalLong registerGStackGuard(Listing listing, int end) {
    return OptionalLong.empty(); // arm64 is analysed, not traced: g's register is not needed
  }

  /** Instruction {@code i} as a value, from its word in the listing. */
  private static Arm64Instruction at(Listing listing, int i) {
    return new Arm64Instruction(listing.address(i), listing.detail(i), listing.flow(i), listing.target(i));
  }
}
