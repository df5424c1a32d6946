package dev.gotrace.core.plan;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.SourcePos;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The function a compiler-made {@code go} wrapper calls. Since Go 1.17 (register ABI) a {@code go
 * f(x, y)} statement launches a closure without arguments that calls {@code f(x, y)}: named
 * {@code outer.gowrapN} since Go 1.22 and {@code outer.funcN} in 1.17–1.21, where only its code
 * tells it from a user's closure. A function is taken as such a wrapper when it is a
 * {@code gowrapN}, or a {@code funcN} of Go 1.17+ whose every instruction is on one source line
 * (the {@code go} statement's); its target is its one direct call to a function outside {@code
 * runtime.*} (stack checks, write barriers and panics are runtime calls).
 */
public final class GoWrappers {
  private static final Pattern GOWRAP = Pattern.compile(".*\\.gowrap\\d+$");
  private static final Pattern CLOSURE = Pattern.compile(".*\\.func\\d+(\\.\\d+)*$");
  /** x86-64 CALL rel32. */
  private static final int CALL_REL32 = 0xe8;

  private GoWrappers() {}

  /** The target of the wrapper starting at link-time {@code pc}; empty when it is not a wrapper. */
  public static Optional<String> target(GoBinary bin, long pc) {
    try {
      Optional<GoFunc> f = bin.funcForPc(pc);
      if (f.isEmpty() || f.get().entry() != pc || !bin.goVersion().minorKnown()
          || !bin.goVersion().atLeast(1, 17)) {
        return Optional.empty();
      }
      boolean gowrap = GOWRAP.matcher(f.get().name()).matches();
      if (!gowrap && !CLOSURE.matcher(f.get().name()).matches()) {
        return Optional.empty();
      }
      long[] starts = bin.tracedSites(f.get()).boundaries().starts().toArray();
      if (starts.length == 0 || starts.length > 200) {
        return Optional.empty();
      }
      Set<Integer> lines = new LinkedHashSet<>();
      Set<String> callees = new LinkedHashSet<>();
      for (int i = 0; i < starts.length; i++) {
        long end = i + 1 < starts.length ? starts[i + 1] : f.get().end();
        if (!gowrap) {
          bin.sourcePos(starts[i]).map(SourcePos::line).ifPresent(lines::add);
        }
        if (end - starts[i] != 5) {
          continue;
        }
        byte[] insn = bin.readAt(starts[i], 5);
        if ((insn[0] & 0xff) != CALL_REL32) {
          continue;
        }
        int rel = (insn[1] & 0xff) | (insn[2] & 0xff) << 8 | (insn[3] & 0xff) << 16 | (insn[4] & 0xff) << 24;
        bin.funcForPc(end + rel).map(GoFunc::name).filter(n -> !n.startsWith("runtime."))
            .ifPresent(callees::add);
      }
      if (callees.size() != 1 || (!gowrap && lines.size() != 1)) {
        return Optional.empty();
      }
      return Optional.of(callees.iterator().next());
    } catch (GoBinaryException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
