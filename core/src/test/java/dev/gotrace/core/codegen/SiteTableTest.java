package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.vm.Call;
import dev.gotrace.probes.vm.Vm;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SiteTable} in the eBPF interpreter: every index gets its own value, and runs share a leaf. */
class SiteTableTest {
  private static long run(List<Long> values, long index) {
    Program p = Program.builder()
        .add(Insn.call(Helper.GET_ATTACH_COOKIE), Insn.mov64(Reg.R7, Reg.R0))
        .addAll(SiteTable.lookup(values, Reg.R7, Reg.R2, "t"))
        .add(Insn.mov64(Reg.R0, Reg.R2), Insn.exit())
        .build();
    return new Vm(List.of()).run(p, Call.of(new byte[168]).withCookie(index)).r0();
  }

  @Test
  void everyIndexGetsItsValue() {
    Random r = new Random(19);
    for (int n : new int[] {1, 2, 3, 7, 64, 300}) {
      List<Long> values = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        values.add(r.nextInt(4) == 0 ? r.nextLong() : 0x1000L + (i / 5)); // runs of 5, some singles
      }
      for (int i = 0; i < n; i++) {
        assertEquals(values.get(i), run(values, i), "index " + i + " of " + n);
      }
    }
  }

  @Test
  void runsOfEqualValuesShareOneLeaf() {
    List<Long> zeros = new ArrayList<>(java.util.Collections.nCopies(1000, 0L));
    zeros.set(500, 48L);
    long insns = SiteTable.lookup(zeros, Reg.R7, Reg.R2, "t").stream().filter(i -> i instanceof Insn).count();
    // three runs (0s, 48, 0s): two compares, three loads, two jumps to the end
    assertEquals(7, insns, "1,000 sites in three runs");
    assertEquals(48L, run(zeros, 500));
    assertEquals(0L, run(zeros, 501));
  }
}
