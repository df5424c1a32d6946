package dev.gotrace.goelf.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Arch's register tables against their sources, written out here independently of {@link
 * Registers}. The x86-64 pt_regs offsets are also checked against this kernel's BTF in core's
 * {@code PtRegsBtfTest} (goelf does not depend on probes).
 */
class ArchTest {
  @Test
  void amd64DwarfNumbersFollowPsAbiFigure336() {
    // System V x86-64 psABI, figure 3.36: 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15.
    List<String> byDwarf = List.of("rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");
    for (int i = 0; i < byDwarf.size(); i++) {
      assertEquals(byDwarf.get(i), Arch.AMD64.dwarfRegister(i).orElseThrow().name(), "DWARF " + i);
    }
    assertTrue(Arch.AMD64.dwarfRegister(16).isEmpty(), "16 is the return address column");
    assertEquals(0, Arch.AMD64.dwarfFloatRegister(17).getAsInt());
    assertEquals(15, Arch.AMD64.dwarfFloatRegister(32).getAsInt());
    assertTrue(Arch.AMD64.dwarfFloatRegister(33).isEmpty());
  }

  @Test
  void amd64EncodingFollowsSdmTable22() {
    // Intel SDM vol. 2 table 2-2, REX.B/R adding 8: rAX rCX rDX rBX rSP rBP rSI rDI r8..r15.
    List<String> byNumber = List.of("rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");
    for (int i = 0; i < byNumber.size(); i++) {
      assertEquals(byNumber.get(i), Arch.AMD64.registerNumbered(i).orElseThrow().name());
    }
  }

  @Test
  void amd64PtRegsFollowUapiPtraceH() {
    // arch/x86/include/uapi/asm/ptrace.h, struct pt_regs (!__i386__): one 8-byte word each.
    List<String> fields = List.of("r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8",
        "rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss");
    for (Register r : Arch.AMD64.registers()) {
      assertEquals(8 * fields.indexOf(r.name()), r.ptRegsOffset(), r.name());
    }
    assertEquals(8 * fields.indexOf("rip"), Arch.AMD64.ptRegsPc());
    assertEquals("rsp", Arch.AMD64.stackPointer().name());
  }

  @Test
  void i386TablesFollowTheirSources() {
    // i386 psABI table 2.14 (DWARF = encoding order) and struct pt_regs (__i386__), 4 bytes each.
    List<String> fields = List.of("ebx", "ecx", "edx", "esi", "edi", "ebp", "eax", "xds", "xes", "xfs",
        "xgs", "orig_eax", "eip", "xcs", "eflags", "esp", "xss");
    List<String> byNumber = List.of("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi");
    for (int i = 0; i < byNumber.size(); i++) {
      Register r = Arch.I386.registerNumbered(i).orElseThrow();
      assertEquals(byNumber.get(i), r.name());
      assertEquals(i, r.dwarf());
      assertEquals(4 * fields.indexOf(r.name()), r.ptRegsOffset(), r.name());
    }
    assertEquals(4 * fields.indexOf("eip"), Arch.I386.ptRegsPc());
    assertTrue(Arch.I386.intArgRegisters().isEmpty());
    assertTrue(Arch.I386.gRegister().isEmpty());
  }

  @Test
  void arm64TablesFollowAadwarf64AndUserPtRegs() {
    // AADWARF64 4.1: X0-X30 = 0-30, SP = 31, V0-V31 = 64-95. struct user_pt_regs:
    // __u64 regs[31]; __u64 sp; __u64 pc; __u64 pstate.
    for (int i = 0; i <= 30; i++) {
      Register r = Arch.ARM64.dwarfRegister(i).orElseThrow();
      assertEquals("x" + i, r.name());
      assertEquals(i, r.number());
      assertEquals(8 * i, r.ptRegsOffset());
    }
    assertEquals(31, Arch.ARM64.stackPointer().dwarf());
    assertEquals(8 * 31, Arch.ARM64.stackPointer().ptRegsOffset());
    assertEquals(8 * 32, Arch.ARM64.ptRegsPc());
    assertEquals(0, Arch.ARM64.dwarfFloatRegister(64).getAsInt());
    assertEquals(31, Arch.ARM64.dwarfFloatRegister(95).getAsInt());
  }

  @Test
  void goAbiInternalRegisters() {
    // abi-internal.md, "amd64 architecture": RAX, RBX, RCX, RDI, RSI, R8, R9, R10, R11; X0-X14; g in R14.
    assertEquals(List.of("rax", "rbx", "rcx", "rdi", "rsi", "r8", "r9", "r10", "r11"),
        Arch.AMD64.intArgRegisters().stream().map(Register::name).toList());
    assertEquals(15, Arch.AMD64.floatArgRegisters());
    assertEquals("r14", Arch.AMD64.gRegister().orElseThrow().name());
    assertEquals("x3", Arch.AMD64.floatRegisterName(3));
    // "arm64 architecture": R0-R15, F0-F15; g in R28.
    assertEquals(16, Arch.ARM64.intArgRegisters().size());
    assertEquals("x15", Arch.ARM64.intArgRegisters().get(15).name());
    assertEquals(16, Arch.ARM64.floatArgRegisters());
    assertEquals("x28", Arch.ARM64.gRegister().orElseThrow().name());
  }

  @Test
  void numbersAreUniquePerArch() {
    for (Arch a : Arch.values()) {
      Set<Integer> dwarf = new HashSet<>();
      Set<Integer> ptRegs = new HashSet<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < a.registers().size(); i++) {
        Register r = a.registers().get(i);
        assertEquals(i, r.number(), a + " " + r);
        assertTrue(dwarf.add(r.dwarf()) && ptRegs.add(r.ptRegsOffset()) && names.add(r.name()), a + " " + r);
        assertTrue(r.ptRegsOffset() % a.ptrSize() == 0 && r.ptRegsOffset() != a.ptRegsPc(), a + " " + r);
      }
    }
  }
}
