package dev.gotrace.probes.asm;

/** ALU operations (the high nibble of an ALU or ALU64 opcode) and how listings print them. */
public enum AluOp {
  ADD(0x00, "+="), SUB(0x10, "-="), MUL(0x20, "*="), DIV(0x30, "/="), OR(0x40, "|="),
  AND(0x50, "&="), LSH(0x60, "<<="), RSH(0x70, ">>="), NEG(0x80, "= -"), MOD(0x90, "%="),
  XOR(0xa0, "^="), MOV(0xb0, "="), ARSH(0xc0, "s>>="), END(0xd0, "= bswap");

  final int code;
  final String symbol;

  AluOp(int code, String symbol) {
    this.code = code;
    this.symbol = symbol;
  }

  static AluOp of(int code) {
    for (AluOp o : values()) {
      if (o.code == code) {
        return o;
      }
    }
    return null;
  }
}
