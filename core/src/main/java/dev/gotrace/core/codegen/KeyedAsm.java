package dev.gotrace.core.codegen;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.atomicAdd;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.probes.asm.AluOp;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's keyed aggregation of {@code --by}: one {count, sum, max, min, 64 log2 buckets}
 * value per (function, key) in hash map {@value #BYKEY}, keyed by the bytes the query built on
 * the stack. A new key is inserted from the zero value of array {@value #BYZERO} with
 * {@code BPF_NOEXIST} (another CPU inserting it first is harmless: the lookup after finds it);
 * when the map is full the call adds to the function's row of array {@value #BYOTHER}, shown
 * as {@code (other)}: never dropped. Updates are atomic adds and compare-and-exchange, as for
 * the per-function stats.
 */
public final class KeyedAsm {
  public static final String BYKEY = "bykey";
  public static final String BYOTHER = "byother";
  public static final String BYZERO = "byzero";
  /** u64 slots of a keyed value: the totals, then the buckets. */
  public static final int COUNT = 0, SUM = 1, MAX = 2, MIN = 3, FIRST_BUCKET = 4,
      SLOTS = FIRST_BUCKET + LatencyProgram.BUCKETS, VALUE_SIZE = SLOTS * 8;
  private static final int BPF_NOEXIST = 1;

  private KeyedAsm() {}

  /**
   * Adds the latency in R9 (bucket {@code floor(log2)} saved as a u64 at fp{@code bucket}) to the
   * value of the key at fp{@code key}, or to {@code byother[fn]} (fn in R7) when the map is
   * full. {@code index} is a 4-byte stack slot for array indexes. Clobbers R0-R5; jumps to
   * {@code done} at the end.
   */
  public static List<Item> add(int key, int bucket, int index, String done) {
    List<Item> out = new ArrayList<>();
    out.addAll(List.of(
        ldMap(Reg.R1, BYKEY),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, key),
        call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JNE, Reg.R0, 0, "bk_add"),
        st(Size.W, Reg.R10, index, 0),
        ldMap(Reg.R1, BYZERO),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, index),
        call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JEQ, Reg.R0, 0, done),
        mov64(Reg.R3, Reg.R0),
        ldMap(Reg.R1, BYKEY),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, key),
        mov64(Reg.R4, BPF_NOEXIST),
        call(Helper.MAP_UPDATE_ELEM),
        // inserted, inserted meanwhile by another CPU (EEXIST), or the map is full (E2BIG)
        ldMap(Reg.R1, BYKEY),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, key),
        call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JNE, Reg.R0, 0, "bk_add"),
        stx(Size.W, Reg.R10, index, Reg.R7),
        ldMap(Reg.R1, BYOTHER),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, index),
        call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JEQ, Reg.R0, 0, done),
        new Label("bk_add"),
        mov64(Reg.R5, Reg.R0),
        mov64(Reg.R1, 1),
        atomicAdd(Size.DW, Reg.R5, COUNT * 8, Reg.R1),
        atomicAdd(Size.DW, Reg.R5, SUM * 8, Reg.R9),
        ldx(Size.DW, Reg.R1, Reg.R10, bucket),
        alu64(AluOp.AND, Reg.R1, LatencyProgram.BUCKETS - 1),
        alu64(AluOp.LSH, Reg.R1, 3),
        mov64(Reg.R2, Reg.R5),
        alu64(AluOp.ADD, Reg.R2, Reg.R1),
        mov64(Reg.R1, 1),
        atomicAdd(Size.DW, Reg.R2, FIRST_BUCKET * 8, Reg.R1)));
    out.addAll(LatencyProgram.extreme("bk_max", MAX, "bk_min", true));
    out.add(new Label("bk_min"));
    out.addAll(LatencyProgram.extreme("bk_min", MIN, done, false));
    return out;
  }
}
