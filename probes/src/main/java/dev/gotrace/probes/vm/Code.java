package dev.gotrace.probes.vm;

import dev.gotrace.probes.asm.Disassembler;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Program;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A program decoded from its kernel encoding into one entry per slot, refused up front for what
 * the verifier refuses before it runs anything: an unknown opcode or register, a write to R10, a
 * jump out of the program or into the second slot of an {@code ld_imm64}, a constant shift as wide
 * as the operand, a division by the constant 0, an instruction no path reaches, a last instruction
 * that is neither exit nor jump.
 * Map references become map indexes; the listing of each slot names it in errors.
 */
final class Code {
  /** Map fds handed to the encoder: map {@code i} gets {@code FD_BASE + i}. */
  static final int FD_BASE = 1000;
  private static final int MEMSX = 0x80;

  final int[] op, dst, src, off;
  final long[] imm;
  private final Program.Encoded encoded;
  private Map<Integer, String> lines;

  Code(Program program, List<String> mapNames) {
    Map<String, Integer> fds = new HashMap<>();
    for (String m : program.mapNames()) {
      int i = mapNames.indexOf(m);
      if (i < 0) {
        throw new VmException(-1, "the program uses map '" + m + "', which the machine was not given (it has "
            + String.join(", ", mapNames) + ")");
      }
      fds.put(m, FD_BASE + i);
    }
    Program.Encoded enc = program.encode(fds);
    encoded = enc;
    ByteBuffer b = ByteBuffer.wrap(enc.code()).order(ByteOrder.LITTLE_ENDIAN);
    int n = enc.slots();
    op = new int[n];
    dst = new int[n];
    src = new int[n];
    off = new int[n];
    imm = new long[n];
    for (int pc = 0; pc < n; pc++) {
      op[pc] = b.get(pc * 8) & 0xff;
      int regs = b.get(pc * 8 + 1) & 0xff;
      dst[pc] = regs & 0xf;
      src[pc] = regs >>> 4;
      off[pc] = b.getShort(pc * 8 + 2);
      imm[pc] = b.getInt(pc * 8 + 4);
    }
    check(n);
  }

  int length() {
    return op.length;
  }

  /** The listing line of slot {@code pc} (the listing is made on the first error). */
  String line(int pc) {
    if (lines == null) {
      lines = new HashMap<>();
      for (String line : Disassembler.listing(encoded).split("\n")) {
        int colon = line.indexOf(": ");
        String head = colon > 0 ? line.substring(0, colon).trim() : "";
        if (!head.isEmpty() && head.chars().allMatch(Character::isDigit)) {
          lines.put(Integer.parseInt(head), line.substring(colon + 2));
        }
      }
    }
    return lines.getOrDefault(pc, "?");
  }

  private VmException refuse(int pc, String why) {
    return new VmException(pc, why + " [" + line(pc) + "]");
  }

  private void check(int n) {
    if (n == 0) {
      throw new VmException(-1, "empty program");
    }
    boolean[] second = new boolean[n];
    for (int pc = 0; pc < n; pc++) {
      if (second[pc]) {
        continue;
      }
      if (dst[pc] > 10 || src[pc] > 10 && op[pc] != Insn.LD_IMM64) {
        throw refuse(pc, "no register r" + Math.max(dst[pc], src[pc]));
      }
      int cls = op[pc] & 7;
      switch (cls) {
        case Insn.LD -> {
          if (op[pc] != Insn.LD_IMM64) {
            throw refuse(pc, "unsupported opcode 0x" + Integer.toHexString(op[pc]));
          }
          if (pc + 1 >= n || op[pc + 1] != 0 || dst[pc + 1] != 0 || src[pc + 1] != 0 || off[pc + 1] != 0) {
            throw refuse(pc, "ld_imm64 without its second slot");
          }
          if (src[pc] != 0 && src[pc] != Insn.PSEUDO_MAP_FD) {
            throw refuse(pc, "ld_imm64 pseudo source " + src[pc] + " is not modeled");
          }
          writes(pc);
          imm[pc] = (imm[pc] & 0xffffffffL) | (imm[pc + 1] << 32);
          second[pc + 1] = true;
        }
        case Insn.LDX -> {
          int mode = op[pc] & 0xe0;
          if (mode != Insn.MEM && !(mode == MEMSX && (op[pc] & 0x18) != 0x18)) {
            throw refuse(pc, "unsupported load mode 0x" + Integer.toHexString(mode));
          }
          writes(pc);
        }
        case Insn.ST -> {
          if ((op[pc] & 0xe0) != Insn.MEM) {
            throw refuse(pc, "unsupported store mode 0x" + Integer.toHexString(op[pc] & 0xe0));
          }
        }
        case Insn.STX -> checkStx(pc);
        case Insn.ALU, Insn.ALU64 -> checkAlu(pc, cls == Insn.ALU64);
        default -> checkJump(pc, cls == Insn.JMP32);
      }
    }
    for (int pc = 0; pc < n; pc++) {
      int cls = op[pc] & 7;
      if (!second[pc] && (cls == Insn.JMP || cls == Insn.JMP32)) {
        int code = op[pc] & 0xf0;
        if (cls == Insn.JMP && (code == Insn.CALL || code == Insn.EXIT)) {
          continue;
        }
        int to = target(pc);
        if (to < 0 || to >= n) {
          throw refuse(pc, "jump out of the program, to " + to);
        }
        if (second[to]) {
          throw refuse(pc, "jump into the middle of an ld_imm64, to " + to);
        }
      }
    }
    reachable(n, second);
    int last = n - 1;
    int lastCode = op[last] & 0xf0;
    boolean ends = (op[last] & 7) == Insn.JMP && (lastCode == Insn.EXIT || lastCode == 0)
        || (op[last] & 7) == Insn.JMP32 && lastCode == 0;
    if (!ends || second[last]) {
      throw new VmException(last, "the last instruction is neither exit nor a jump [" + line(last) + "]");
    }
  }

  /** Refuses an instruction no path from the first reaches (the verifier's "unreachable insn"). */
  private void reachable(int n, boolean[] second) {
    boolean[] seen = new boolean[n];
    java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>(List.of(0));
    while (!todo.isEmpty()) {
      int pc = todo.pop();
      if (pc >= n || seen[pc]) {
        continue;
      }
      seen[pc] = true;
      int cls = op[pc] & 7;
      int code = op[pc] & 0xf0;
      if (cls == Insn.LD) {
        todo.push(pc + 2);
      } else if (cls == Insn.JMP && code == Insn.EXIT) {
        continue;
      } else if ((cls == Insn.JMP || cls == Insn.JMP32) && !(cls == Insn.JMP && code == Insn.CALL)) {
        todo.push(target(pc));
        if (code != 0x00) {
          todo.push(pc + 1);
        }
      } else {
        todo.push(pc + 1);
      }
    }
    for (int pc = 0; pc < n; pc++) {
      if (!seen[pc] && !second[pc]) {
        throw refuse(pc, "unreachable instruction (the verifier refuses it)");
      }
    }
  }

  /** The slot a jump at {@code pc} goes to (gotol, JMP32|JA, takes its offset from imm). */
  int target(int pc) {
    boolean gotol = (op[pc] & 7) == Insn.JMP32 && (op[pc] & 0xf0) == 0;
    return (int) (pc + 1 + (gotol ? imm[pc] : off[pc]));
  }

  private void writes(int pc) {
    if (dst[pc] == 10) {
      throw refuse(pc, "frame pointer r10 is read-only");
    }
  }

  private void checkStx(int pc) {
    int mode = op[pc] & 0xe0;
    if (mode == Insn.MEM) {
      return;
    }
    if (mode != Insn.ATOMIC) {
      throw refuse(pc, "unsupported store mode 0x" + Integer.toHexString(mode));
    }
    int size = op[pc] & 0x18;
    if (size != 0x00 && size != 0x18) {
      throw refuse(pc, "atomic operations take size W or DW");
    }
    int a = (int) imm[pc];
    boolean known = switch (a) {
      case 0x00, 0x40, 0x50, 0xa0, 0x01, 0x41, 0x51, 0xa1, 0xe1, 0xf1 -> true;
      default -> false;
    };
    if (!known) {
      throw refuse(pc, "unknown atomic operation 0x" + Integer.toHexString(a));
    }
  }

  private void checkAlu(int pc, boolean wide) {
    int code = op[pc] & 0xf0;
    boolean x = (op[pc] & Insn.X) != 0;
    if (code > 0xd0) {
      throw refuse(pc, "unknown ALU operation 0x" + Integer.toHexString(code));
    }
    writes(pc);
    int width = wide ? 64 : 32;
    switch (code) {
      case 0x60, 0x70, 0xc0 -> {
        if (!x && (imm[pc] < 0 || imm[pc] >= width)) {
          throw refuse(pc, "invalid shift " + imm[pc]);
        }
      }
      case 0x30, 0x90 -> {
        if (!x && imm[pc] == 0) {
          throw refuse(pc, "division by zero");
        }
        if (off[pc] != 0 && off[pc] != 1) {
          throw refuse(pc, "division offset must be 0 or 1 (signed)");
        }
      }
      case 0x80 -> {
        if (x) {
          throw refuse(pc, "neg takes no source register");
        }
      }
      case 0xb0 -> {
        if (off[pc] != 0 && !(x && (off[pc] == 8 || off[pc] == 16 || off[pc] == 32 && wide))) {
          throw refuse(pc, "bad sign-extending move width " + off[pc]);
        }
      }
      case 0xd0 -> {
        if (imm[pc] != 16 && imm[pc] != 32 && imm[pc] != 64) {
          throw refuse(pc, "byte swap of " + imm[pc] + " bits");
        }
        if (wide && x) {
          throw refuse(pc, "bswap takes no source register");
        }
      }
      default -> { }
    }
  }

  private void checkJump(int pc, boolean narrow) {
    int code = op[pc] & 0xf0;
    if (!narrow && (code == Insn.CALL || code == Insn.EXIT)) {
      if (code == Insn.CALL && src[pc] != 0) {
        throw refuse(pc, "calls other than helpers (src " + src[pc] + ") are not modeled");
      }
      return;
    }
    boolean known = switch (code) {
      case 0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0 -> true;
      default -> false;
    };
    if (!known) {
      throw refuse(pc, "unknown jump operation 0x" + Integer.toHexString(code));
    }
  }
}
