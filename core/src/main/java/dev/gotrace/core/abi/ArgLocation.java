package dev.gotrace.core.abi;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.arch.Register;
import java.util.OptionalLong;

/** Where a piece of a parameter lives when the probe fires. */
public sealed interface ArgLocation
    permits ArgLocation.InRegister, ArgLocation.FloatRegister, ArgLocation.Stack, ArgLocation.Static {

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

  /**
   * Memory at a link-time address: a package variable. In a position-independent binary the
   * run-time address is {@code address} plus the load bias, which the probe computes as its own
   * run-time IP ({@code pt_regs->ip}) minus {@code site}, the link-time address it was placed at.
   *
   * @param address the link-time address
   * @param site in a PIE, the probe's link-time address; empty when the binary loads at its link
   *     addresses (ET_EXEC)
   */
  record Static(long address, OptionalLong site) implements ArgLocation {
    /** The run-time address when the probe at link address {@code site} fires at {@code ip}. */
    public long at(long ip) {
      return site.isPresent() ? address + (ip - site.getAsLong()) : address;
    }

    @Override
    public String toString() {
      return "0x" + Long.toHexString(address) + (site.isPresent() ? "+bias" : "");
    }
  }
}
