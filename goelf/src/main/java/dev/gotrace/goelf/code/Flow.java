package dev.gotrace.goelf.code;

/** How an instruction affects control flow, as far as exit-site analysis needs to know. */
public enum Flow {
  /** Returns to the caller (x86 RET/RETF incl. {@code REP RET}; arm64 RET Xn). */
  RET,
  /** Unconditional branch to a target encoded in the instruction. */
  JUMP,
  /** Unconditional branch through a register or memory operand. */
  JUMP_INDIRECT,
  /** Conditional branch with an encoded target (Jcc, JCXZ, LOOP; B.cond, CBZ, TBZ...). */
  CONDITIONAL,
  /** Call with an encoded target. */
  CALL,
  /** Call through a register or memory operand. */
  CALL_INDIRECT,
  /** Breakpoint trap: x86 INT3, arm64 BRK. */
  TRAP,
  /** Guaranteed undefined instruction: x86 UD2, arm64 UDF. */
  UNDEFINED,
  /** x86 HLT. */
  HALT,
  /** Everything else: falls through to the next instruction. */
  NEXT;

  /** Whether execution never continues at the next instruction. */
  public boolean endsBlock() {
    return this == RET || this == JUMP || this == JUMP_INDIRECT || this == TRAP
        || this == UNDEFINED || this == HALT;
  }

  /** Whether the instruction encodes its branch target. */
  public boolean hasTarget() {
    return this == JUMP || this == CONDITIONAL || this == CALL;
  }
}
