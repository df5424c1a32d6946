package dev.gotrace.core.codegen;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.mov64;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.probes.asm.AluOp;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import java.util.ArrayList;
import java.util.List;

/** Instruction sequences shared by the programs that fill a ring-buffer record held in R8. */
final class RecordAsm {
  private RecordAsm() {}

  /**
   * record[slot .. slot+n) = user memory at R3 + add, R3 set by {@code source}; clobbers R0–R5.
   */
  static List<Insn> readUser(int slot, int n, Insn source, long add) {
    List<Insn> out = new ArrayList<>();
    out.add(source);
    if (add != 0) {
      out.add(add64(Reg.R3, Math.toIntExact(add)));
    }
    out.add(mov64(Reg.R1, Reg.R8));
    out.add(add64(Reg.R1, slot));
    out.add(mov64(Reg.R2, n));
    out.add(call(Helper.PROBE_READ_USER));
    return out;
  }

  /**
   * record[slot .. slot+n) = the package variable's memory at {@code s}: its link address, or in a
   * PIE that plus the load bias {@code pt_regs->ip - s.site()} (R6 = pt_regs); clobbers R0–R5.
   */
  static List<Insn> readStatic(int slot, int n, ArgLocation.Static s,
      Arch arch) {
    List<Insn> out = new ArrayList<>();
    if (s.site().isEmpty()) {
      out.add(Insn.ldImm64(Reg.R3, s.address()));
    } else {
      out.add(Insn.ldx(Size.DW, Reg.R3, Reg.R6, arch.ptRegsPc()));
      out.add(Insn.ldImm64(Reg.R1, s.address() - s.site().getAsLong()));
      out.add(Insn.alu64(AluOp.ADD, Reg.R3, Reg.R1));
    }
    out.add(mov64(Reg.R1, Reg.R8));
    out.add(add64(Reg.R1, slot));
    out.add(mov64(Reg.R2, n));
    out.add(call(Helper.PROBE_READ_USER));
    return out;
  }

  /**
   * {@code n} bytes of a package variable at link address {@code address} into record[slot], the
   * load bias read from the stack slot {@code biasSlot} (a program serving probes of several
   * functions computes it there from the site; see FuncsProgram). Clobbers R0–R5.
   */
  static List<Insn> readStaticBiased(int slot, int n, long address, int biasSlot) {
    return List.of(
        Insn.ldx(dev.gotrace.probes.asm.Size.DW, Reg.R3, Reg.R10, biasSlot),
        Insn.ldImm64(Reg.R1, address),
        Insn.alu64(dev.gotrace.probes.asm.AluOp.ADD, Reg.R3, Reg.R1),
        mov64(Reg.R1, Reg.R8),
        add64(Reg.R1, slot),
        mov64(Reg.R2, n),
        call(Helper.PROBE_READ_USER));
  }
}
