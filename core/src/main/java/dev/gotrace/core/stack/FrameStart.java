package dev.gotrace.core.stack;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.PcRun;
import java.util.List;

/**
 * Where the kernel's frame-pointer walk finds the probed function's caller at one probe site,
 * proven at plan time from the function's SP-delta table (pclntab {@code pcsp}).
 *
 * <p>The rule (amd64, every Go function and every assembly function with a frame, since Go 1.7):
 * on entry SP points at the return address; the prologue saves the caller's BP in the word just
 * below it, at entry SP − 8 ({@code PUSHQ BP; MOVQ SP, BP} from Go 1.21, {@code SUBQ $n, SP;
 * MOVQ BP, n-8(SP); LEAQ n-8(SP), BP} before), and points BP at that word. With {@code d} = the
 * pcsp value at the probe PC (how far SP is below the entry SP there), the return address is at
 * {@code [SP + d]} and the saved BP slot at {@code SP + d − 8}. Whether the function's own BP is
 * in place at that instruction (inside the prologue, after the epilogue's restore, in a
 * frameless leaf) is decided in the kernel by comparing: BP = SP + d − 8 means this frame's BP
 * (the caller's is the word it points at); anything else is the caller's BP still (or again), since
 * a caller's frame lies above the return address. Only {@code d} is needed from the binary, and it
 * is exact: the compiler and assembler write pcsp for every instruction.
 *
 * <p>Unproven: another architecture, a function flagged {@code SPWRITE} (it writes SP in a way
 * pcsp does not follow: stack switches), a PC without a pcsp value, a negative or unaligned
 * value.
 */
public sealed interface FrameStart {
  /** The caller's return address is at {@code [SP + spDelta]}. */
  record Proven(int spDelta) implements FrameStart {
    public Proven {
      if (spDelta < 0 || spDelta % 8 != 0) {
        throw new IllegalArgumentException("SP delta " + spDelta);
      }
    }
  }

  /** The walk cannot start here: the stack is the probed frame alone, for {@code reason}. */
  record Unproven(String reason) implements FrameStart {}

  /** funcFlag_SPWRITE (runtime/symtab.go, Go 1.17+). */
  int SPWRITE = 2;

  /** What the walk at {@code pc} in {@code f} (a link-time address in the function) starts from. */
  static FrameStart at(GoBinary bin, GoFunc f, long pc) throws GoBinaryException {
    if (bin.arch() != Arch.AMD64) {
      return new Unproven("stacks are unwound on amd64 only, not " + bin.arch().goArch());
    }
    if (!f.contains(pc)) {
      return new Unproven(String.format("0x%x is not in %s", pc, f.name()));
    }
    if ((f.flags() & SPWRITE) != 0) {
      return new Unproven(f.name() + " writes SP itself (funcFlag SPWRITE)");
    }
    return at(f.name(), bin.pclntab().spDeltaTable(f), pc);
  }

  /** The rule on {@code f}'s decoded SP-delta runs. */
  static FrameStart at(String function, List<PcRun> spDelta, long pc) {
    for (PcRun r : spDelta) {
      if (Long.compareUnsigned(pc, r.start()) >= 0 && Long.compareUnsigned(pc, r.end()) < 0) {
        int d = r.value();
        if (d < 0 || d % 8 != 0) {
          return new Unproven(function + " has SP delta " + d + " at this PC");
        }
        return new Proven(d);
      }
    }
    return new Unproven(function + " has no SP delta at this PC");
  }
}
