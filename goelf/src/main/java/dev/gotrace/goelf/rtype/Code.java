package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.arm64.Arm64Decoder;
import dev.gotrace.goelf.arm64.Arm64Instruction;
import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.Instruction;
import dev.gotrace.goelf.code.InvalidInstructionException;
import dev.gotrace.goelf.x86.ModRm;
import dev.gotrace.goelf.x86.X86Decoder;
import dev.gotrace.goelf.x86.X86Instruction;
import dev.gotrace.goelf.x86.X86Mode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A linear decode of one function and the data addresses its instructions compute: amd64
 * {@code LEAQ d(RIP), r}; 386 {@code LEAL abs, r} and {@code MOVL $abs, r/m}; arm64
 * {@code ADRP Xd, page} followed by {@code ADD Xd', Xd, #imm}. The decode stops at the first
 * byte that is not an instruction (the INT3 padding after the function, or damage).
 */
final class Code {
  private static final int OP_LEA = 0x8d;
  private static final int OP_MOV_IMM_RM = 0xc7;
  private static final int OP_MOV_IMM_R = 0xb8; // B8+r

  private Code() {}

  /** The instructions of {@code code} located at {@code entry}, up to the first undecodable byte. */
  static List<Instruction> decode(Arch arch, byte[] code, long entry) {
    List<Instruction> out = new ArrayList<>();
    try {
      if (arch == Arch.ARM64) {
        for (int pos = 0; pos + 4 <= code.length; pos += 4) {
          out.add(Arm64Decoder.decode(code, pos, entry + pos));
        }
      } else {
        X86Decoder d = new X86Decoder(X86Mode.of(arch));
        for (int pos = 0; pos < code.length && (code[pos] & 0xff) != 0xcc; ) {
          X86Instruction in = d.decode(code, pos, code.length, entry + pos);
          out.add(in);
          pos += in.length();
        }
      }
    } catch (InvalidInstructionException e) {
      // the listing ends here; what came before is still exact
    }
    return out;
  }

  /** Every data address the listing computes, in order of first appearance. */
  static Set<Long> addresses(Arch arch, List<Instruction> listing) {
    Set<Long> out = new LinkedHashSet<>();
    Map<Integer, Long> page = new HashMap<>();
    for (Instruction i : listing) {
      if (i instanceof X86Instruction x) {
        x86Address(arch, x, out);
      } else if (i instanceof Arm64Instruction a) {
        int w = a.word();
        if ((w & 0x9f000000) == 0x90000000) { // ADRP Xd, label
          long imm = ((long) ((w >>> 5) & 0x7ffff) << 2) | ((w >>> 29) & 3);
          imm = (imm << 43) >> 43; // sign-extend 21 bits
          page.put(a.rd(), (a.address() & ~0xfffL) + (imm << 12));
        } else if ((w & 0xff800000) == 0x91000000 && page.containsKey(a.rn())) { // ADD Xd, Xn, #imm{, LSL #12}
          long imm = (w >>> 10) & 0xfff;
          out.add(page.get(a.rn()) + (((w >>> 22) & 1) == 1 ? imm << 12 : imm));
          page.remove(a.rd());
        } else if (a.flow() != Flow.NEXT) {
          page.clear();
        }
      }
    }
    return out;
  }

  private static void x86Address(Arch arch, X86Instruction x, Set<Long> out) {
    if (x.is(OP_LEA) && x.modrm().isPresent()) {
      ModRm m = x.modrm().get();
      if (m.index() == ModRm.NONE && m.base() == ModRm.RIP) {
        out.add(x.next() + m.disp());
      } else if (arch == Arch.I386 && m.index() == ModRm.NONE && m.base() == ModRm.NONE && !m.isRegister()) {
        out.add(m.disp() & 0xffffffffL);
      }
    } else if (arch == Arch.I386 && (x.is(OP_MOV_IMM_RM)
        || x.map() == X86Instruction.MAP_ONE_BYTE && !x.vex() && (x.opcode() & 0xf8) == OP_MOV_IMM_R)) {
      out.add(x.immediate() & 0xffffffffL);
    }
  }
}
