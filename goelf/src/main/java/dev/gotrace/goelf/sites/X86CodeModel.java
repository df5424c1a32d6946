package dev.gotrace.goelf.sites;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.InvalidInstructionException;
import dev.gotrace.goelf.x86.ModRm;
import dev.gotrace.goelf.x86.OpcodeSummary;
import dev.gotrace.goelf.x86.X86Decoder;
import dev.gotrace.goelf.x86.X86Instruction;
import dev.gotrace.goelf.x86.X86Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** amd64 and 386: INT3 padding, Go's jump tables, and the TLS load of {@code g}. */
final class X86CodeModel implements CodeModel {
  private static final int INT3 = 0xcc;
  private static final int OP_MOV_LOAD = 0x8b;
  private static final int OP_LEA = 0x8d;
  private static final int OP_MOV_IMM = 0xc7;
  private static final int OP_CMP_REG_RM = 0x3b;
  /** R14, the g register of the amd64 register ABI, by its encoding number. */
  private static final int R14 = Arch.AMD64.gRegister().orElseThrow().number();
  /** More entries than any switch the compiler turns into a table; larger is not a table. */
  static final int MAX_TABLE = 1 << 12;
  /** How far before the jump the bounds check may lie. */
  private static final int BOUND_WINDOW = 8;

  private final X86Decoder decoder;
  private final ThreadLocal<X86Decoder.Scanner> scanners;
  private final int ptrSize;

  X86CodeModel(X86Mode mode) {
    this.decoder = new X86Decoder(mode);
    this.scanners = ThreadLocal.withInitial(decoder::scanner);
    this.ptrSize = mode == X86Mode.BITS64 ? 8 : 4;
  }

  @Override
  public void decode(FunctionCode fn, Listing into) throws InvalidInstructionException {
    byte[] code = fn.code();
    int limit = code.length;
    int padding = limit;
    while (padding > 0 && (code[padding - 1] & 0xff) == INT3) {
      padding--;
    }
    X86Decoder.Scanner scan = scanners.get();
    int pos = 0;
    while (pos < padding) {
      int length = scan.scan(code, pos, limit, fn.entry() + pos);
      into.add(pos, length, scan.flow(), scan.target(), scan.summary());
      pos += length;
    }
    // The last instruction may end in 0xCC bytes of its own (an immediate); it then reaches
    // into what looked like padding, and the padding starts after it.
    into.end(fn.entry() + pos);
  }

  @Override
  public Optional<JumpTable> jumpTable(FunctionCode fn, Listing listing, int j, MemoryReader memory) {
    X86Instruction jmp = at(listing, j);
    if (jmp.modrm().isEmpty()) {
      return Optional.empty();
    }
    ModRm m = jmp.modrm().get();
    int k = j - 1;
    ModRm load = m;
    if (m.isRegister()) { // MOVQ (Rt)(Ri*8), Rj; JMP Rj
      if (k < 0 || !OpcodeSummary.is(listing.detail(k), OP_MOV_LOAD) || !isLoad(at(listing, k), m.rm())) {
        return Optional.empty();
      }
      load = at(listing, k).modrm().get();
      k--;
    }
    if (load.isRegister() || load.index() == ModRm.NONE || load.scale() != ptrSize) {
      return Optional.empty();
    }
    long table;
    if (load.base() == ModRm.NONE) {
      table = load.disp() & mask();
    } else {
      OptionalLong lea = load.disp() == 0 ? ripLea(listing, k, load.base()) : OptionalLong.empty();
      if (lea.isEmpty()) {
        return Optional.empty();
      }
      table = lea.getAsLong();
    }
    OptionalLong count = boundsCheck(listing, j, load.index());
    if (count.isEmpty()) {
      return Optional.empty();
    }
    List<Long> targets = new ArrayList<>();
    try {
      for (int e = 0; e < count.getAsLong(); e++) {
        targets.add(memory.readWord(table + (long) e * ptrSize, ptrSize));
      }
    } catch (CorruptBinaryException e) {
      return Optional.empty();
    }
    return CodeModel.allInside(fn, listing, targets)
        ? Optional.of(new JumpTable(jmp.address(), table, targets))
        : Optional.empty();
  }

  private boolean isLoad(X86Instruction in, int dest) {
    return in.is(OP_MOV_LOAD) && in.modrm().isPresent() && !in.modrm().get().isRegister()
        && in.modrm().get().reg() == dest && (ptrSize == 4 || in.rexW());
  }

  /** The address computed by {@code LEAQ d(RIP), base} among the few instructions up to {@code k}. */
  private OptionalLong ripLea(Listing listing, int k, int base) {
    for (int i = k; i >= 0 && i > k - 3; i--) {
      if (listing.flow(i) != Flow.NEXT) {
        break;
      }
      if (!OpcodeSummary.is(listing.detail(i), OP_LEA)) {
        continue;
      }
      X86Instruction in = at(listing, i);
      if (in.modrm().get().reg() == base) {
        ModRm m = in.modrm().get();
        return m.base() == ModRm.RIP && m.index() == ModRm.NONE
            ? OptionalLong.of(in.next() + m.disp())
            : OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }

  /**
   * The table size from what bounds the index before the jump: the compiler's check
   * {@code CMP index, $n-1} immediately followed by {@code JA default} (unsigned, so negative
   * indexes also fail), or, when the compiler proved the range, a mask {@code AND index, $2^k-1}.
   */
  private OptionalLong boundsCheck(Listing listing, int j, int index) {
    for (int i = j - 1; i >= 0 && i >= j - BOUND_WINDOW; i--) {
      X86Instruction in = at(listing, i);
      if (masksWithImmediate(in, index)) {
        long n = in.immediate() + 1;
        return n > 0 && n <= MAX_TABLE && (n & (n - 1)) == 0 ? OptionalLong.of(n) : OptionalLong.empty();
      }
      if (in.flow() == Flow.NEXT) {
        continue;
      }
      if (i == 0) {
        return OptionalLong.empty();
      }
      boolean isJa = in.flow() == Flow.CONDITIONAL
          && (in.map() == X86Instruction.MAP_ONE_BYTE && in.opcode() == 0x77
              || in.map() == X86Instruction.MAP_0F && in.opcode() == 0x87);
      X86Instruction cmp = at(listing, i - 1);
      if (!isJa || !comparesWithImmediate(cmp, index) || cmp.immediate() < 0
          || cmp.immediate() >= MAX_TABLE) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(cmp.immediate() + 1);
    }
    return OptionalLong.empty();
  }

  private static boolean masksWithImmediate(X86Instruction in, int reg) {
    return groupOneWithImmediate(in, reg, 4) || in.is(0x25) && reg == 0;
  }

  private static boolean comparesWithImmediate(X86Instruction in, int reg) {
    return groupOneWithImmediate(in, reg, 7) || in.is(0x3d) && reg == 0;
  }

  /** {@code 83 /ext ib} or {@code 81 /ext iz} on register {@code reg} (ext 4 = AND, 7 = CMP). */
  private static boolean groupOneWithImmediate(X86Instruction in, int reg, int ext) {
    if (!(in.is(0x83) || in.is(0x81)) || in.modrm().isEmpty()) {
      return false;
    }
    ModRm m = in.modrm().get();
    return m.isRegister() && m.ext() == ext && m.rm() == reg;
  }

  @Override
  public OptionalLong tlsGOffset(Listing listing, int end, MemoryReader memory) {
    int segment = ptrSize == 8 ? X86Instruction.PREFIX_FS : X86Instruction.PREFIX_GS;
    for (int i = 0; i < end; i++) {
      int op = listing.detail(i);
      if (!OpcodeSummary.has(op, segment) || !OpcodeSummary.is(op, OP_MOV_LOAD)
          || !OpcodeSummary.memoryOperand(op)) {
        continue;
      }
      X86Instruction in = at(listing, i);
      ModRm m = in.modrm().get();
      if (ptrSize == 8 && m.base() == ModRm.NONE && m.index() == ModRm.NONE) {
        return OptionalLong.of(m.disp()); // MOVQ FS:off, reg (internal linking)
      }
      if (ptrSize == 8 && m.index() == ModRm.NONE && m.disp() == 0 && i > 0) {
        return offsetLoadedInto(at(listing, i - 1), m.base(), memory); // MOVQ x, R; MOVQ FS:(R), R
      }
      if (ptrSize == 4 && m.base() == ModRm.NONE && m.disp() == 0 && i + 1 < end) {
        X86Instruction next = at(listing, i + 1); // MOVL GS:0, R; MOVL off(R), R
        ModRm n = next.modrm().orElse(null);
        if (next.is(OP_MOV_LOAD) && n != null && !n.isRegister() && n.base() == m.reg()
            && n.index() == ModRm.NONE) {
          return OptionalLong.of(n.disp());
        }
      }
    }
    return OptionalLong.empty();
  }

  /** amd64 {@code CMPQ reg, disp(R14)}: opcode 3B with a memory operand based on R14. */
  @Override
  public OptionalLong registerGStackGuard(Listing listing, int end) {
    if (ptrSize != 8) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < end; i++) {
      int op = listing.detail(i);
      if (!OpcodeSummary.is(op, OP_CMP_REG_RM) || !OpcodeSummary.rexW(op) || !OpcodeSummary.memoryOperand(op)) {
        continue;
      }
      X86Instruction in = at(listing, i);
      ModRm m = in.modrm().orElse(null);
      if (in.is(OP_CMP_REG_RM) && in.rexW() && m != null && !m.isRegister() && m.base() == R14
          && m.index() == ModRm.NONE) {
        return OptionalLong.of(m.disp());
      }
    }
    return OptionalLong.empty();
  }

  /**
   * The offset loaded into {@code reg} before {@code MOVQ FS:(reg), reg}: an immediate
   * ({@code MOVQ $-8, reg}, Go's PIE with internal linking) or a GOT slot holding the TPOFF
   * ({@code MOVQ off(RIP), reg}, external linking), read from the image.
   */
  private static OptionalLong offsetLoadedInto(X86Instruction prev, int reg, MemoryReader memory) {
    ModRm p = prev.modrm().orElse(null);
    if (prev.is(OP_MOV_IMM) && p != null && p.isRegister() && p.ext() == 0 && p.rm() == reg
        && prev.rexW()) {
      return OptionalLong.of(prev.immediate());
    }
    if (!prev.is(OP_MOV_LOAD) || p == null || p.isRegister() || p.reg() != reg
        || p.base() != ModRm.RIP) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(memory.readWord(prev.next() + p.disp(), 8));
    } catch (CorruptBinaryException e) {
      return OptionalLong.empty();
    }
  }

  private long mask() {
    return ptrSize == 8 ? -1L : 0xffffffffL;
  }

  /**
   * Instruction {@code i} as a value, decoded again from the function's bytes (the listing keeps
   * only its columns); it decoded before, so it decodes the same now.
   */
  private X86Instruction at(Listing listing, int i) {
    try {
      return decoder.decode(listing.code(), listing.offset(i), listing.code().length, listing.address(i));
    } catch (InvalidInstructionException e) {
      throw new IllegalStateException("instruction " + i + " no longer decodes: " + e.getMessage(), e);
    }
  }
}
