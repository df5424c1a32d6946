package dev.gotrace.core.plan;

import dev.gotrace.goelf.arch.Register;

/** How a probe finds the current goroutine's {@code g} pointer. */
public sealed interface GAccess permits GAccess.InRegister, GAccess.ThreadLocal {

  /**
   * {@code g} is in a register at every Go function's entry (register ABI: {@link
   * dev.gotrace.goelf.arch.Arch#gRegister()}, R14 on amd64); a probe reads it from {@code struct
   * pt_regs} at {@link Register#ptRegsOffset()}.
   */
  record InRegister(Register register) implements GAccess {}

  /**
   * {@code g} is stored at {@code fsbase + offset} (stack ABI on amd64: {@code MOV FS:offset, reg}
   * in the prologues; -8 with Go's internal linker).
   */
  record ThreadLocal(long offset) implements GAccess {}
}
