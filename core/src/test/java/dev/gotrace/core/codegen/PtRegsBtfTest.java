package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.plan.Planner;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.arch.Register;
import dev.gotrace.probes.btf.Btf;
import org.junit.jupiter.api.Test;

/**
 * The pt_regs offsets the generated programs read ({@link Arch}'s tables, written from
 * arch/x86/include/uapi/asm/ptrace.h and arch/arm64/include/uapi/asm/ptrace.h) against this
 * kernel's own {@code struct pt_regs} in {@code /sys/kernel/btf/vmlinux}: the kernel spells the
 * x86-64 fields without the "r" of the uapi names ({@code ax}, {@code bp}, {@code ip}, {@code
 * sp}; {@code r8}–{@code r15} as they are), arm64's as {@code regs[31], sp, pc} of {@code
 * user_pt_regs}, which its {@code pt_regs} begins with.
 */
class PtRegsBtfTest {
  @Test
  void archTablesMatchThisKernelsPtRegs() {
    Arch host = Planner.hostArch();
    Btf btf = Btf.vmlinux();
    if (host == Arch.AMD64) {
      for (Register r : host.registers()) {
        String field = r.name().matches("r[0-9]+") ? r.name() : r.name().substring(1);
        assertEquals(btf.offsetOf("pt_regs", field), r.ptRegsOffset(), r.name());
      }
      assertEquals(btf.offsetOf("pt_regs", "ip"), host.ptRegsPc());
      assertEquals(btf.offsetOf("pt_regs", "sp"), host.stackPointer().ptRegsOffset());
    } else {
      assertEquals(Arch.ARM64, host, "gotrace traces on amd64 and arm64 kernels");
      long regs = btf.offsetOf("user_pt_regs", "regs");
      for (Register r : host.registers()) {
        if (!r.equals(host.stackPointer())) {
          assertEquals(regs + 8L * r.number(), r.ptRegsOffset(), r.name());
        }
      }
      assertEquals(btf.offsetOf("user_pt_regs", "sp"), host.stackPointer().ptRegsOffset());
      assertEquals(btf.offsetOf("user_pt_regs", "pc"), host.ptRegsPc());
    }
    assertTrue(host.gRegister().isPresent());
  }
}
