package dev.gotrace.core.abi;

/** Where a piece of a parameter lives when the probe fires. */
public sealed interface ArgLocation permits ArgLocation.Register, ArgLocation.FloatRegister, ArgLocation.Stack {

  /**
   * An integer register, readable from {@code struct pt_regs}.
   *
   * @param name the register's name ("rax")
   * @param ptRegsOffset its offset in pt_regs (arch/x86/include/uapi/asm/ptrace.h)
   */
  record Register(String name, int ptRegsOffset) implements ArgLocation {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A floating-point register (X0–X14): a uprobe cannot read it. */
  record FloatRegister(String name) implements ArgLocation {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Memory at {@code SP + spOffset}, SP being the stack pointer at the function's entry (or at a return). */
  record Stack(long spOffset) implements ArgLocation {
    @Override
    public String toString() {
      return spOffset + "(SP)";
    }
  }
}
