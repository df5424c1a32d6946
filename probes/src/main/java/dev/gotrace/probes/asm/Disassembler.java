package dev.gotrace.probes.asm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints encoded eBPF as one line per instruction in a C-like notation:
 * {@code r0 = *(u64 *)(r6 +128)}, {@code if r0 == 0 goto +3 <out>}, {@code call
 * bpf_ringbuf_reserve#131}. Labels and map names come from an {@link Program.Encoded} when
 * available; raw bytes list with numeric offsets and fds.
 */
public final class Disassembler {
  private Disassembler() {}

  /** The listing of {@code program} (map fds shown by name). */
  public static String listing(Program program) {
    return listing(program.encodeForListing());
  }

  /** The listing of encoded code with its labels and map names. */
  public static String listing(Program.Encoded enc) {
    return listing(enc.code(), enc.labels(), enc.maps());
  }

  /** The listing of raw instruction bytes. */
  public static String listing(byte[] code) {
    return listing(code, Map.of(), Map.of());
  }

  private static String listing(byte[] code, Map<Integer, String> labels, Map<Integer, String> maps) {
    if (code.length % 8 != 0) {
      throw new AsmException("code length " + code.length + " is not a multiple of 8");
    }
    Map<Integer, String> sortedLabels = new TreeMap<>(labels);
    ByteBuffer b = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
    StringBuilder sb = new StringBuilder();
    int n = code.length / 8;
    for (int pc = 0; pc < n; pc++) {
      String label = sortedLabels.get(pc);
      if (label != null) {
        sb.append(label).append(":\n");
      }
      int op = b.get(pc * 8) & 0xff;
      int regs = b.get(pc * 8 + 1) & 0xff;
      int dst = regs & 0xf;
      int src = regs >>> 4;
      int off = b.getShort(pc * 8 + 2);
      int imm = b.getInt(pc * 8 + 4);
      String text;
      if (op == Insn.LD_IMM64 && pc + 1 < n) {
        long hi = b.getInt(pc * 8 + 12) & 0xffffffffL;
        long v = (hi << 32) | (imm & 0xffffffffL);
        if (src == Insn.PSEUDO_MAP_FD) {
          String name = maps.get(pc);
          text = "r" + dst + " = " + (name != null ? "map[" + name + "]" : "map_fd(" + imm + ")")
              + " ll";
        } else {
          text = "r" + dst + " = 0x" + Long.toHexString(v) + " ll";
        }
        sb.append(String.format("%4d: %s%n", pc, text));
        pc++;
        continue;
      }
      int target = pc + 1 + off;
      text = one(op, dst, src, off, imm, sortedLabels.get(target));
      sb.append(String.format("%4d: %s%n", pc, text));
    }
    return sb.toString();
  }

  private static String one(int op, int dst, int src, int off, int imm, String targetLabel) {
    int cls = op & 0x07;
    switch (cls) {
      case Insn.ALU64:
      case Insn.ALU: {
        String r = cls == Insn.ALU64 ? "r" : "w";
        AluOp a = AluOp.of(op & 0xf0);
        if (a == null) {
          return raw(op, dst, src, off, imm);
        }
        String rhs = (op & Insn.X) != 0 ? r + src : Integer.toString(imm);
        if (a == AluOp.NEG) {
          return r + dst + " = -" + r + dst;
        }
        if (a == AluOp.END) {
          return r + dst + " = " + ((op & Insn.X) != 0 ? "be" : "le") + imm + " " + r + dst;
        }
        return r + dst + " " + a.symbol + " " + rhs;
      }
      case Insn.LDX: {
        if ((op & 0xe0) != Insn.MEM) {
          return raw(op, dst, src, off, imm);
        }
        return "r" + dst + " = *(" + Size.ofBits(op & 0x18).ctype + " *)(r" + src + " " + sign(off)
            + ")";
      }
      case Insn.ST:
      case Insn.STX: {
        String ty = Size.ofBits(op & 0x18).ctype;
        int mode = op & 0xe0;
        if (cls == Insn.STX && mode == Insn.ATOMIC && imm == AluOp.ADD.code) {
          return "lock *(" + ty + " *)(r" + dst + " " + sign(off) + ") += r" + src;
        }
        if (cls == Insn.STX && mode == Insn.ATOMIC && imm == Insn.CMPXCHG) {
          return "r0 = cmpxchg((" + ty + " *)(r" + dst + " " + sign(off) + "), r0, r" + src + ")";
        }
        if (mode != Insn.MEM) {
          return raw(op, dst, src, off, imm);
        }
        String val = cls == Insn.STX ? "r" + src : Integer.toString(imm);
        return "*(" + ty + " *)(r" + dst + " " + sign(off) + ") = " + val;
      }
      case Insn.JMP:
      case Insn.JMP32: {
        int code = op & 0xf0;
        if (cls == Insn.JMP && code == Insn.CALL) {
          Helper h = src == 0 ? Helper.byId(imm) : null;
          return h != null ? "call " + h.kernelName() + "#" + imm : "call " + imm + " (src " + src + ")";
        }
        if (cls == Insn.JMP && code == Insn.EXIT) {
          return "exit";
        }
        JmpOp j = JmpOp.of(code);
        if (j == null) {
          return raw(op, dst, src, off, imm);
        }
        String where = "goto " + sign(off) + (targetLabel != null ? " <" + targetLabel + ">" : "");
        if (j == JmpOp.JA && cls == Insn.JMP) {
          return where;
        }
        String r = cls == Insn.JMP ? "r" : "w";
        String rhs = (op & Insn.X) != 0 ? r + src : Integer.toString(imm);
        return "if " + r + dst + " " + j.symbol + " " + rhs + " " + where;
      }
      default:
        return raw(op, dst, src, off, imm);
    }
  }

  private static String sign(int off) {
    return off < 0 ? Integer.toString(off) : "+" + off;
  }

  private static String raw(int op, int dst, int src, int off, int imm) {
    return String.format(".insn op=0x%02x dst=r%d src=r%d off=%d imm=%d", op, dst, src, off, imm);
  }
}
