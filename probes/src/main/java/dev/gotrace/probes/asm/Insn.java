package dev.gotrace.probes.asm;

/**
 * One eBPF instruction as a value: {@code opcode}, {@code dst} and {@code src} register fields,
 * the signed 16-bit {@code off} and the immediate ({@code imm}; 64 bits for {@code LD_IMM64},
 * which occupies two slots). A jump names its target label in {@code target} (its {@code off} is
 * computed at encode time); an {@code LD_IMM64} of a map names the map in {@code map} (its fd is
 * filled in at encode time). Build instructions with the static factories, which read like the
 * instruction set: {@code mov64(R6, R1)}, {@code ldx(DW, R0, R6, 128)}, {@code call(...)}.
 */
public record Insn(int opcode, int dst, int src, int off, long imm, String target, String map)
    implements Item {

  /** Instruction classes (opcode bits 0–2). */
  public static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05,
      JMP32 = 0x06, ALU64 = 0x07;
  /** Source bit: immediate (K) or register (X). */
  public static final int K = 0x00, X = 0x08;
  /** Load/store modes (opcode bits 5–7). */
  public static final int IMM = 0x00, MEM = 0x60, ATOMIC = 0xc0;
  /** Jump-class operations without a JmpOp: call and exit. */
  public static final int CALL = 0x80, EXIT = 0x90;
  /** {@code BPF_PSEUDO_MAP_FD}: the src field of an LD_IMM64 whose imm is a map fd. */
  public static final int PSEUDO_MAP_FD = 1;
  /** The LD_IMM64 opcode: class LD, size DW, mode IMM. */
  public static final int LD_IMM64 = LD | 0x18 | IMM;

  public Insn {
    if (opcode < 0 || opcode > 0xff || dst < 0 || dst > 15 || src < 0 || src > 15) {
      throw new AsmException("bad instruction fields: opcode " + opcode + " dst " + dst
          + " src " + src);
    }
    if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
      throw new AsmException("offset " + off + " does not fit 16 bits");
    }
    if (opcode != LD_IMM64 && (imm < Integer.MIN_VALUE || imm > Integer.MAX_VALUE)) {
      throw new AsmException("immediate " + imm + " does not fit 32 bits; use ldImm64");
    }
  }

  /** Number of 8-byte slots: 2 for LD_IMM64, else 1. */
  public int slots() {
    return opcode == LD_IMM64 ? 2 : 1;
  }

  private static Insn of(int opcode, Reg dst, Reg src, int off, long imm) {
    return new Insn(opcode, dst.num(), src.num(), off, imm, null, null);
  }

  // ---- ALU

  /** {@code dst = imm} (64-bit; imm is sign-extended). */
  public static Insn mov64(Reg dst, int imm) {
    return alu64(AluOp.MOV, dst, imm);
  }

  /** {@code dst = src} (64-bit). */
  public static Insn mov64(Reg dst, Reg src) {
    return alu64(AluOp.MOV, dst, src);
  }

  /** {@code dst = imm} (32-bit, zero-extended: use for 0xffffffff-style flags). */
  public static Insn mov32(Reg dst, int imm) {
    return alu32(AluOp.MOV, dst, imm);
  }

  /** {@code dst op= imm}, 64-bit. */
  public static Insn alu64(AluOp op, Reg dst, int imm) {
    return of(ALU64 | op.code | K, dst, Reg.R0, 0, imm);
  }

  /** {@code dst op= src}, 64-bit. */
  public static Insn alu64(AluOp op, Reg dst, Reg src) {
    return of(ALU64 | op.code | X, dst, src, 0, 0);
  }

  /** {@code dst op= imm}, 32-bit. */
  public static Insn alu32(AluOp op, Reg dst, int imm) {
    return of(ALU | op.code | K, dst, Reg.R0, 0, imm);
  }

  /** {@code dst op= src}, 32-bit. */
  public static Insn alu32(AluOp op, Reg dst, Reg src) {
    return of(ALU | op.code | X, dst, src, 0, 0);
  }

  /** {@code dst += imm} (64-bit). */
  public static Insn add64(Reg dst, int imm) {
    return alu64(AluOp.ADD, dst, imm);
  }

  // ---- memory

  /** {@code dst = *(size *)(src + off)}. */
  public static Insn ldx(Size size, Reg dst, Reg src, int off) {
    return of(LDX | size.bits | MEM, dst, src, off, 0);
  }

  /** {@code *(size *)(dst + off) = src}. */
  public static Insn stx(Size size, Reg dst, int off, Reg src) {
    return of(STX | size.bits | MEM, dst, src, off, 0);
  }

  /** {@code *(size *)(dst + off) = imm}. */
  public static Insn st(Size size, Reg dst, int off, int imm) {
    return of(ST | size.bits | MEM, dst, Reg.R0, off, imm);
  }

  /** {@code lock *(size *)(dst + off) += src}; size W or DW. */
  public static Insn atomicAdd(Size size, Reg dst, int off, Reg src) {
    if (size != Size.W && size != Size.DW) {
      throw new AsmException("atomic add needs size W or DW, not " + size);
    }
    return of(STX | size.bits | ATOMIC, dst, src, off, AluOp.ADD.code);
  }

  /** The imm of BPF_CMPXCHG (0xf0 | BPF_FETCH), {@code linux/bpf.h}. */
  public static final int CMPXCHG = 0xf1;

  /**
   * {@code r0 = cmpxchg((size *)(dst + off), r0, src)}: stores {@code src} when the word equals R0,
   * and leaves the word's old value in R0 either way (Linux 5.12); size W or DW.
   */
  public static Insn atomicCmpxchg(Size size, Reg dst, int off, Reg src) {
    if (size != Size.W && size != Size.DW) {
      throw new AsmException("atomic cmpxchg needs size W or DW, not " + size);
    }
    return of(STX | size.bits | ATOMIC, dst, src, off, CMPXCHG);
  }

  /** {@code dst = imm64} (two slots). */
  public static Insn ldImm64(Reg dst, long imm) {
    return new Insn(LD_IMM64, dst.num(), 0, 0, imm, null, null);
  }

  /** {@code dst = &map} (two slots, BPF_PSEUDO_MAP_FD; the fd of {@code map} is set at encode). */
  public static Insn ldMap(Reg dst, String map) {
    if (map == null || map.isEmpty()) {
      throw new AsmException("empty map name");
    }
    return new Insn(LD_IMM64, dst.num(), PSEUDO_MAP_FD, 0, 0, null, map);
  }

  // ---- control

  /** {@code goto target}. */
  public static Insn ja(String target) {
    return jump(JMP | JmpOp.JA.code | K, Reg.R0, Reg.R0, 0, target);
  }

  /** {@code if dst op imm goto target} (64-bit compare). */
  public static Insn jmp(JmpOp op, Reg dst, int imm, String target) {
    return jump(JMP | op.code | K, dst, Reg.R0, imm, target);
  }

  /** {@code if dst op src goto target} (64-bit compare). */
  public static Insn jmp(JmpOp op, Reg dst, Reg src, String target) {
    return jump(JMP | op.code | X, dst, src, 0, target);
  }

  /** {@code if wdst op imm goto target} (32-bit compare). */
  public static Insn jmp32(JmpOp op, Reg dst, int imm, String target) {
    return jump(JMP32 | op.code | K, dst, Reg.R0, imm, target);
  }

  private static Insn jump(int opcode, Reg dst, Reg src, int imm, String target) {
    if (target == null || target.isEmpty()) {
      throw new AsmException("jump without a target label");
    }
    return new Insn(opcode, dst.num(), src.num(), 0, imm, target, null);
  }

  /** Calls helper {@code h}; arguments in R1–R5, result in R0, R1–R5 clobbered. */
  public static Insn call(Helper h) {
    return of(JMP | CALL, Reg.R0, Reg.R0, 0, h.id());
  }

  /** Returns R0. */
  public static Insn exit() {
    return of(JMP | EXIT, Reg.R0, Reg.R0, 0, 0);
  }

  /** An instruction with a literal offset instead of a label (for raw encodings and tests). */
  public static Insn raw(int opcode, int dst, int src, int off, int imm) {
    return new Insn(opcode, dst, src, off, imm, null, null);
  }
}
