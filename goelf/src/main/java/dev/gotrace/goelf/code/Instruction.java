package dev.gotrace.goelf.code;

/** One decoded machine instruction, whatever the architecture. */
public interface Instruction {
  /** Virtual address of the first byte. */
  long address();

  /** Length in bytes (1..15 on x86, 4 on arm64). */
  int length();

  /** Control-flow class. */
  Flow flow();

  /** The branch target when {@link Flow#hasTarget()}; otherwise meaningless (0). */
  long target();

  /** Address of the next instruction in memory. */
  default long next() {
    return address() + length();
  }
}
