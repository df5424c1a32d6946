package dev.gotrace.probes.vm;

import dev.gotrace.probes.asm.Insn;

/**
 * One run of a decoded program: the register file (with which registers hold a value: reading one
 * that does not is refused, as the verifier's "!read_ok"; a helper call leaves R1–R5 without one),
 * the instruction loop and the step limit. Memory accesses and helpers fault with a
 * {@link Fault}, which becomes a {@link VmException} naming the instruction.
 */
final class Execution {
  private final Vm vm;
  private final Code code;
  final Call call;
  final AddressSpace space;
  private final long[] r = new long[11];
  private final boolean[] ready = new boolean[11];
  private int steps;
  private int pc;

  Execution(Vm vm, Code code, Call call, AddressSpace space) {
    this.vm = vm;
    this.code = code;
    this.call = call;
    this.space = space;
    set(1, AddressSpace.CONTEXT);
    set(10, AddressSpace.STACK_TOP);
  }

  /** Runs to the exit; the result is R0 and the number of instructions executed. */
  Vm.Result run(int stepLimit) {
    pc = 0;
    try {
      while (true) {
        if (++steps > stepLimit) {
          throw new VmException(pc, "step limit of " + stepLimit + " instructions reached (an unbounded loop?)");
        }
        int next = step(pc);
        if (next < 0) {
          for (VmMap m : vm.maps()) {
            if (m instanceof VmRing ring) {
              ring.checkReleased();
            }
          }
          return new Vm.Result(reg(0), steps);
        }
        pc = next;
      }
    } catch (Fault f) {
      abandon();
      throw new VmException(pc, f.getMessage() + " [" + code.line(pc) + "]");
    } catch (VmException e) {
      abandon();
      throw e;
    }
  }

  /** The slot being executed. */
  int pc() {
    return pc;
  }

  SparseMemory vmUser() {
    return vm.user();
  }

  SparseMemory vmKernel() {
    return vm.kernel();
  }

  java.util.List<VmMap> vmMaps() {
    return vm.maps();
  }

  /** The map whose handle is {@code v}, or null. */
  VmMap mapAt(long v) {
    return vm.mapAt(v);
  }

  private void abandon() {
    for (VmMap m : vm.maps()) {
      if (m instanceof VmRing ring) {
        ring.abandon();
      }
    }
  }

  /** Executes slot {@code pc}; the next slot, or -1 after exit. */
  private int step(int pc) {
    int op = code.op[pc];
    int dst = code.dst[pc];
    int src = code.src[pc];
    int off = code.off[pc];
    long imm = code.imm[pc];
    switch (op & 7) {
      case Insn.ALU64, Insn.ALU -> alu(op, dst, src, off, imm);
      case Insn.LD -> {
        set(dst, src == Insn.PSEUDO_MAP_FD ? vm.handle((int) imm - Code.FD_BASE) : imm);
        return pc + 2;
      }
      case Insn.LDX -> {
        int n = size(op);
        long v = space.load(reg(src) + off, n);
        if ((op & 0xe0) == 0x80) {
          v = (v << (64 - 8 * n)) >> (64 - 8 * n);
        }
        set(dst, v);
      }
      case Insn.ST -> space.store(reg(dst) + off, size(op), imm);
      case Insn.STX -> {
        if ((op & 0xe0) == Insn.ATOMIC) {
          atomic(size(op), reg(dst) + off, src, (int) imm);
        } else {
          space.store(reg(dst) + off, size(op), reg(src));
        }
      }
      default -> {
        return jump(pc, op, dst, src, imm);
      }
    }
    return pc + 1;
  }

  private void alu(int op, int dst, int src, int off, long imm) {
    boolean wide = (op & 7) == Insn.ALU64;
    int c = op & 0xf0;
    boolean x = (op & Insn.X) != 0;
    if (c == 0xd0) {
      set(dst, Alu.end(reg(dst), (int) imm, x || wide));
      return;
    }
    long s = x ? reg(src) : imm;
    long d = c == 0xb0 ? 0 : reg(dst);
    set(dst, wide ? Alu.alu64(c, d, s, off) : Alu.alu32(c, d, s, off));
  }

  private int jump(int pc, int op, int dst, int src, long imm) {
    int c = op & 0xf0;
    boolean narrow = (op & 7) == Insn.JMP32;
    if (!narrow && c == Insn.EXIT) {
      reg(0);
      return -1;
    }
    if (!narrow && c == Insn.CALL) {
      long result = new Helpers(this).call((int) imm);
      for (int i = 1; i <= 5; i++) {
        ready[i] = false;
      }
      set(0, result);
      return pc + 1;
    }
    if (c == 0x00) {
      return code.target(pc);
    }
    long b = (op & Insn.X) != 0 ? reg(src) : imm;
    return Alu.taken(c, reg(dst), b, narrow) ? code.target(pc) : pc + 1;
  }

  private void atomic(int n, long addr, int src, int a) {
    if ((addr & (n - 1)) != 0) {
      throw new Fault("misaligned atomic access of " + n + " bytes at 0x" + Long.toHexString(addr));
    }
    long mask = n == 8 ? -1L : 0xffffffffL;
    long old = space.load(addr, n);
    long v = reg(src) & mask;
    if (a == Insn.CMPXCHG) {
      if (old == (reg(0) & mask)) {
        space.store(addr, n, v);
      }
      set(0, old);
      return;
    }
    long now = switch (a & ~1) {
      case 0x00 -> old + v;
      case 0x40 -> old | v;
      case 0x50 -> old & v;
      case 0xa0 -> old ^ v;
      default -> v; // 0xe0: xchg
    };
    space.store(addr, n, now);
    if ((a & 1) != 0) {
      set(src, old);
    }
  }

  private static int size(int op) {
    return switch (op & 0x18) {
      case 0x00 -> 4;
      case 0x08 -> 2;
      case 0x10 -> 1;
      default -> 8;
    };
  }

  /** Register {@code i}, refused when it holds no value. */
  long reg(int i) {
    if (!ready[i]) {
      throw new Fault("r" + i + " is read before it is written (the verifier's R" + i + " !read_ok)");
    }
    return r[i];
  }

  private void set(int i, long v) {
    r[i] = v;
    ready[i] = true;
  }
}
