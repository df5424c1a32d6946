package dev.gotrace.goelf.arch;

import java.util.List;

/**
 * The register tables {@link Arch} is built from, each copied from its primary source.
 *
 * <ul>
 *   <li>Encoding numbers: Intel SDM vol. 2, table 2-2 and 2-4 (REX.R/X/B extend them to 0–15);
 *       Arm ARM C1.2.5 (Rn 0–30, 31 = SP or ZR by instruction).
 *   <li>DWARF numbers: System V x86-64 psABI figure 3.36 "DWARF Register Number Mapping"; System V
 *       i386 psABI table 2.14; AADWARF64 ("DWARF for the Arm 64-bit Architecture") section 4.1,
 *       X0–X30 = 0–30, SP = 31, V0–V31 = 64–95.
 *   <li>pt_regs offsets: x86-64 {@code struct pt_regs} of arch/x86/include/uapi/asm/ptrace.h
 *       (r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi, orig_rax, rip,
 *       cs, eflags, rsp, ss: 8 bytes each); i386 {@code struct pt_regs} of the same header
 *       (ebx, ecx, edx, esi, edi, ebp, eax, xds, xes, xfs, xgs, orig_eax, eip, xcs, eflags, esp,
 *       xss: 4 bytes each); arm64 {@code struct user_pt_regs} of
 *       arch/arm64/include/uapi/asm/ptrace.h (regs[31], sp, pc, pstate), which the kernel's
 *       {@code struct pt_regs} begins with (arch/arm64/include/asm/ptrace.h).
 *   <li>Go's use of them: {@code src/cmd/compile/abi-internal.md}, "amd64 architecture" and
 *       "arm64 architecture" (argument registers in assignment order, the g register).
 * </ul>
 */
final class Registers {
  private Registers() {}

  /**
   * x86-64, in encoding order (SDM: rAX rCX rDX rBX rSP rBP rSI rDI, then r8–r15 with REX); each
   * column from its source: DWARF numbers per psABI figure 3.36, pt_regs offsets per ptrace.h.
   */
  static final List<Register> AMD64 = table(
      new String[] {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
          "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"},
      new int[] {0, 2, 1, 3, 7, 6, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15},
      new int[] {80, 88, 96, 40, 152, 32, 104, 112, 72, 64, 56, 48, 24, 16, 8, 0});
  /** {@code offsetof(struct pt_regs, rip)} on x86-64. */
  static final int AMD64_PT_REGS_PC = 128;
  /** ABIInternal integer arguments: RAX, RBX, RCX, RDI, RSI, R8, R9, R10, R11. */
  static final List<String> AMD64_INT_ARGS = List.of("rax", "rbx", "rcx", "rdi", "rsi", "r8", "r9", "r10", "r11");
  /** ABIInternal floating-point arguments: X0–X14. */
  static final int AMD64_FLOAT_ARGS = 15;
  /** DWARF numbers of XMM0–XMM15. */
  static final int AMD64_DWARF_XMM0 = 17;
  static final int AMD64_VECTORS = 16;

  /** i386, in encoding order, which is DWARF's there (i386 psABI table 2.14); pt_regs per ptrace.h. */
  static final List<Register> I386 = table(
      new String[] {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"},
      new int[] {0, 1, 2, 3, 4, 5, 6, 7},
      new int[] {24, 4, 8, 0, 60, 20, 12, 16});
  /** {@code offsetof(struct pt_regs, eip)} on i386. */
  static final int I386_PT_REGS_PC = 48;
  /** DWARF numbers of XMM0–XMM7 on i386. */
  static final int I386_DWARF_XMM0 = 21;
  static final int I386_VECTORS = 8;

  /** arm64: x0–x30, then sp (encoding 31 where an operand may be SP). */
  static final List<Register> ARM64 = arm64();
  /** {@code offsetof(struct user_pt_regs, pc)} on arm64. */
  static final int ARM64_PT_REGS_PC = 256;
  /** ABIInternal integer arguments R0–R15, floating-point F0–F15. */
  static final int ARM64_INT_ARGS = 16;
  static final int ARM64_FLOAT_ARGS = 16;
  /** DWARF numbers of V0–V31. */
  static final int ARM64_DWARF_V0 = 64;
  static final int ARM64_VECTORS = 32;

  /** Register {@code i} is named {@code names[i]}, encoded as {@code i}. */
  private static List<Register> table(String[] names, int[] dwarf, int[] ptRegs) {
    Register[] r = new Register[names.length];
    for (int i = 0; i < names.length; i++) {
      r[i] = new Register(names[i], i, dwarf[i], ptRegs[i]);
    }
    return List.of(r);
  }

  private static List<Register> arm64() {
    Register[] r = new Register[32];
    for (int i = 0; i < 31; i++) {
      r[i] = new Register("x" + i, i, i, 8 * i);
    }
    r[31] = new Register("sp", 31, 31, 248);
    return List.of(r);
  }
}
