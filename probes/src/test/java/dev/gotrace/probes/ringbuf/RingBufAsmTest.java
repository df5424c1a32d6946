package dev.gotrace.probes.ringbuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gotrace.probes.asm.Disassembler;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import org.junit.jupiter.api.Test;

/** The commit macro: no wakeup below an eighth of the ring, a forced one above; no root. */
class RingBufAsmTest {

  private static String listing(int ringBytes, Reg record) {
    return Disassembler.listing(Program.builder()
        .addAll(RingBufAsm.submitQuietly("ev", "events", ringBytes, record))
        .add(Insn.mov64(Reg.R0, 0), Insn.exit())
        .build());
  }

  @Test
  void queriesTheFillThenSubmitsWithTheChosenFlag() {
    String l = listing(8 << 20, Reg.R8);
    // flags = fill <= 1 MiB ? BPF_RB_NO_WAKEUP (1) : BPF_RB_FORCE_WAKEUP (2); the query's flag
    // 0 is BPF_RB_AVAIL_DATA; helper ids 134 (query) and 132 (submit) per linux/bpf.h.
    String expected = String.join("\n",
        "   0: r1 = map[events] ll",
        "   2: r2 = 0",
        "   3: call bpf_ringbuf_query#134",
        "   4: r2 = 1",
        "   5: if r0 <= 1048576 goto +1 <ev_quiet>",
        "   6: r2 = 2",
        "ev_quiet:",
        "   7: r1 = r8",
        "   8: call bpf_ringbuf_submit#132",
        "   9: r0 = 0",
        "  10: exit",
        "");
    assertEquals(expected, l);
  }

  @Test
  void thresholdIsAnEighthOfTheRing() {
    assertEquals(512, RingBufAsm.wakeThreshold(4096));
    assertEquals(1 << 20, RingBufAsm.wakeThreshold(8 << 20));
    assertThrows(IllegalArgumentException.class, () -> RingBufAsm.wakeThreshold(3000));
    assertThrows(IllegalArgumentException.class, () -> RingBufAsm.wakeThreshold(0));
  }

  @Test
  void recordMustSurviveTheQueryCall() {
    assertThrows(IllegalArgumentException.class, () -> RingBufAsm.submitQuietly("ev", "events", 4096, Reg.R1));
    assertThrows(IllegalArgumentException.class, () -> RingBufAsm.submitQuietly("ev", "events", 4096, Reg.R0));
    assertThrows(IllegalArgumentException.class, () -> RingBufAsm.submitQuietly("ev", "events", 4096, Reg.R10));
  }
}
