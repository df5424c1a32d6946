package dev.gotrace.goelf.x86;

import dev.gotrace.goelf.arch.Arch;

/** The processor mode the bytes are decoded in. */
public enum X86Mode {
  /** 64-bit mode (amd64): REX prefixes, RIP-relative addressing, 64-bit addresses. */
  BITS64,
  /** 32-bit protected mode (386): 0x40-0x4F are INC/DEC, 16-bit addressing with 0x67. */
  BITS32;

  /** The mode for an x86 architecture; fails for others. */
  public static X86Mode of(Arch arch) {
    return switch (arch) {
      case AMD64 -> BITS64;
      case I386 -> BITS32;
      default -> throw new IllegalArgumentException("not an x86 architecture: " + arch);
    };
  }
}
