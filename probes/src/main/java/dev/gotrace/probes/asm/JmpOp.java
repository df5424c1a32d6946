package dev.gotrace.probes.asm;

/** Conditional and unconditional jumps (the high nibble of a JMP opcode). */
public enum JmpOp {
  JA(0x00, ""), JEQ(0x10, "=="), JGT(0x20, ">"), JGE(0x30, ">="), JSET(0x40, "&"),
  JNE(0x50, "!="), JSGT(0x60, "s>"), JSGE(0x70, "s>="), JLT(0xa0, "<"), JLE(0xb0, "<="),
  JSLT(0xc0, "s<"), JSLE(0xd0, "s<=");

  final int code;
  final String symbol;

  JmpOp(int code, String symbol) {
    this.code = code;
    this.symbol = symbol;
  }

  static JmpOp of(int code) {
    for (JmpOp o : values()) {
      if (o.code == code) {
        return o;
      }
    }
    return null;
  }
}
