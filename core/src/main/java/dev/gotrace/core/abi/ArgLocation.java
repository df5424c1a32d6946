package dev.gotrace.core.abi;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.arch.Register;

/** Where a piece of a parameter lives when the probe fires. */
public sealed interface ArgLocation permits ArgLocation.InRegister, ArgLocation.FloatRegister, ArgLocation.Stack {

  /** An integer register, readable from {@code struct pt_regs} at {@link Register#ptRegsOffset()}. */
  record InRegister(Register register) implements ArgLocation {
    /** {@code arch}'s register {@code name} ("rax"). */
    public static InRegister of(Arch arch, String name) {
      return new InRegister(arch.register(name).orElseThrow(
          () -> new IllegalArgumentException("no " + arch.goArch() + " register " + name)));
    }

    @Override
    public String toString() {
      return register.name();
    }
  }

  /** A floating-point register ({@link Arch#floatRegisterName}: X0–X14 on amd64): a uprobe cannot read it. */
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
