package dev.gotrace.core.goroutines;

/** Where a word of {@code runtime.newproc1}'s frame is when a probe fires. */
public sealed interface Slot permits Slot.Reg, Slot.Stack {

  /**
   * In a register.
   *
   * @param name the register's name, for listings and messages
   * @param ptRegsOffset its offset in {@code struct pt_regs} (x86-64)
   */
  record Reg(String name, int ptRegsOffset) implements Slot {}

  /**
   * In memory at {@code SP + spOffset}, SP being the stack pointer at the function's entry (the
   * return address is at SP + 0, the first stack argument at SP + 8). SP is the same at every
   * exit instruction ({@code RET}).
   */
  record Stack(long spOffset) implements Slot {}

  /** pt_regs offsets of the x86-64 general registers (arch/x86/include/uapi/asm/ptrace.h). */
  static Reg amd64(String name) {
    return switch (name) {
      case "rax" -> new Reg(name, 80);
      case "rbx" -> new Reg(name, 40);
      case "rcx" -> new Reg(name, 88);
      case "rdx" -> new Reg(name, 96);
      case "rsi" -> new Reg(name, 104);
      case "rdi" -> new Reg(name, 112);
      case "rbp" -> new Reg(name, 32);
      case "r8" -> new Reg(name, 72);
      case "r9" -> new Reg(name, 64);
      case "r10" -> new Reg(name, 56);
      case "r11" -> new Reg(name, 48);
      case "r12" -> new Reg(name, 24);
      case "r13" -> new Reg(name, 16);
      case "r14" -> new Reg(name, 8);
      case "r15" -> new Reg(name, 0);
      default -> throw new IllegalArgumentException("no x86-64 register " + name);
    };
  }

  /** DWARF register numbers of x86-64 (System V psABI, figure 3.36) to names; RSP (7) excluded. */
  static java.util.Optional<Reg> amd64Dwarf(int dwarfRegister) {
    String[] names = {"rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", null,
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
    if (dwarfRegister < 0 || dwarfRegister >= names.length || names[dwarfRegister] == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(amd64(names[dwarfRegister]));
  }
}
