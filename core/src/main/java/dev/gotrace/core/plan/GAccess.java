package dev.gotrace.core.plan;

/** How a probe finds the current goroutine's {@code g} pointer. */
public sealed interface GAccess permits GAccess.Register, GAccess.ThreadLocal {

  /**
   * {@code g} is in a register at every Go function's entry (register ABI: R14 on amd64).
   *
   * @param name the register's name, for listings
   * @param ptRegsOffset the register's offset in {@code struct pt_regs}
   */
  record Register(String name, int ptRegsOffset) implements GAccess {}

  /**
   * {@code g} is stored at {@code fsbase + offset} (stack ABI on amd64: {@code MOV FS:offset, reg}
   * in the prologues; -8 with Go's internal linker).
   */
  record ThreadLocal(long offset) implements GAccess {}
}
