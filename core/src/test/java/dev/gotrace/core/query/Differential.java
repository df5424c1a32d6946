package dev.gotrace.core.query;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.vm.Vm;
import dev.gotrace.probes.vm.VmArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link FunctionQuery}'s emitted code in the eBPF interpreter (probes/vm) and the {@link
 * Evaluator} over the same recorded bytes; the answers: the entry filter, the captured word, the
 * exit filter (given the captured word), and the key bytes (written on the stack and into a map
 * value).
 */
final class Differential {
  /** What one side computed. */
  record Answer(boolean entry, long captured, boolean exit, byte[] stackKey, byte[] mapKey) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Answer a && a.entry == entry && a.captured == captured && a.exit == exit
          && Arrays.equals(a.stackKey, stackKey) && Arrays.equals(a.mapKey, mapKey);
    }

    @Override
    public int hashCode() {
      return Boolean.hashCode(entry);
    }

    @Override
    public String toString() {
      return "entry " + entry + " captured " + Long.toBinaryString(captured) + " exit " + exit + " key "
          + java.util.HexFormat.of().formatHex(stackKey) + (Arrays.equals(stackKey, mapKey) ? ""
              : " map key " + java.util.HexFormat.of().formatHex(mapKey));
    }
  }

  private static final int OUT_ENTRY = 0, OUT_CAPTURED = 8, OUT_EXIT = 16, OUT_KEY = 24;

  private Differential() {}

  static Program program(FunctionQuery q) {
    int windowBytes = QueryAsm.windowBytes(q);
    Window w = new Window(-8 - windowBytes, windowBytes);
    int dst = -8;
    int keyOff = w.top() - KeyLayout.MAX_SIZE;
    int keySize = q.keys().size();
    int mapKey = OUT_KEY + keySize;
    Program.Builder b = Program.builder().add(mov64(Reg.R6, Reg.R1), st(Size.W, Reg.R10, -4, 0),
        ldMap(Reg.R1, "out"), mov64(Reg.R2, Reg.R10), add64(Reg.R2, -4), call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JNE, Reg.R0, 0, "found"), exit());
    b.label("found").add(mov64(Reg.R7, Reg.R0));
    for (int i = 0; i < keySize; i += 8) {
      b.add(st(Size.DW, Reg.R10, keyOff + i, 0), st(Size.DW, Reg.R7, mapKey + i, 0));
    }
    b.add(st(Size.DW, Reg.R7, OUT_ENTRY, 0));
    b.addAll(QueryAsm.test(q.entryFilter(), w, "in", "entry_no"));
    b.add(st(Size.DW, Reg.R7, OUT_ENTRY, 1));
    b.label("entry_no");
    b.addAll(QueryAsm.captures(q.captures(), w, "cap", dst));
    b.add(ldx(Size.DW, Reg.R0, Reg.R10, dst), stx(Size.DW, Reg.R7, OUT_CAPTURED, Reg.R0),
        stx(Size.DW, Reg.R10, w.captured(), Reg.R0), st(Size.DW, Reg.R7, OUT_EXIT, 0));
    b.addAll(QueryAsm.test(q.exitFilter(), w, "out", "exit_no"));
    b.add(st(Size.DW, Reg.R7, OUT_EXIT, 1));
    b.label("exit_no");
    b.addAll(QueryAsm.keys(q.keys(), false, w, "ke", Reg.R10, keyOff));
    b.addAll(QueryAsm.keys(q.keys(), true, w, "kx", Reg.R10, keyOff));
    for (int i = 0; i < keySize; i += 8) {
      b.add(ldx(Size.DW, Reg.R0, Reg.R10, keyOff + i), stx(Size.DW, Reg.R7, OUT_KEY + i, Reg.R0));
    }
    b.addAll(QueryAsm.keys(q.keys(), false, w, "me", Reg.R7, mapKey));
    b.addAll(QueryAsm.keys(q.keys(), true, w, "mx", Reg.R7, mapKey));
    b.add(mov64(Reg.R0, 0), exit());
    return b.build();
  }

  /** The interpreter's answer. */
  static Answer vm(FunctionQuery q, Recorded call) {
    return vm(q, program(q), call);
  }

  static Answer vm(FunctionQuery q, Program program, Recorded call) {
    int keySize = q.keys().size();
    Vm vm = new Vm(List.of(MapSpec.array("out", OUT_KEY + 2 * keySize, 1)));
    for (Map.Entry<Long, byte[]> e : ((UserMemory.Sparse) call.memory()).regions().entrySet()) {
      vm.user().put(e.getKey(), e.getValue());
    }
    vm.run(program, dev.gotrace.probes.vm.Call.of(call.regs));
    VmArray out = vm.array("out");
    byte[] v = out.value(0);
    return new Answer(out.u64(0, OUT_ENTRY) != 0, out.u64(0, OUT_CAPTURED), out.u64(0, OUT_EXIT) != 0,
        Arrays.copyOfRange(v, OUT_KEY, OUT_KEY + keySize), Arrays.copyOfRange(v, OUT_KEY + keySize, OUT_KEY + 2 * keySize));
  }

  /** The Evaluator's answer. */
  static Answer evaluator(FunctionQuery q, Recorded call) {
    Evaluator in = new Evaluator(Arch.AMD64, call.regs, call.memory());
    boolean entry = q.entryFilter().map(in::test).orElse(true);
    long captured = in.captures(q.captures());
    Evaluator out = new Evaluator(Arch.AMD64, call.regs, call.memory(), captured);
    boolean exit = q.exitFilter().map(out::test).orElse(true);
    byte[] key = new byte[q.keys().size()];
    in.keys(q.keys(), false, key, 0);
    out.keys(q.keys(), true, key, 0);
    return new Answer(entry, captured, exit, key, key.clone());
  }

  static long u64(byte[] b, int at) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
  }
}
