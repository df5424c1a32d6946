package dev.gotrace.probes.asm;

/** Load/store widths: the size bits of a load or store opcode and the width in bytes. */
public enum Size {
  W(0x00, 4, "u32"), H(0x08, 2, "u16"), B(0x10, 1, "u8"), DW(0x18, 8, "u64");

  final int bits;
  final int bytes;
  final String ctype;

  Size(int bits, int bytes, String ctype) {
    this.bits = bits;
    this.bytes = bytes;
    this.ctype = ctype;
  }

  /** Width in bytes. */
  public int bytes() {
    return bytes;
  }

  static Size ofBits(int bits) {
    for (Size s : values()) {
      if (s.bits == bits) {
        return s;
      }
    }
    throw new AsmException("bad size bits " + bits);
  }
}
