package dev.gotrace.probes.vm;

/**
 * A program did something the verifier would refuse, or the interpreter cannot model; {@link #pc}
 * is the index (in 8-byte slots) of the instruction, -1 when the program as a whole is refused.
 */
public final class VmException extends RuntimeException {
  private final int pc;

  VmException(int pc, String message) {
    super(pc < 0 ? message : "insn " + pc + ": " + message);
    this.pc = pc;
  }

  /** The instruction's slot index, or -1. */
  public int pc() {
    return pc;
  }
}
