package dev.gotrace.core.plan;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.sites.FunctionSites;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where a probe finds the current g, proven by the binary's own prologues rather than assumed
 * from its version: with the register ABI (amd64, Go 1.17+) Go functions compare SP with
 * g.stackguard0 through R14 ({@code CMPQ SP, 16(R14)}); with the stack ABI they load g from
 * thread-local storage first ({@code MOVQ FS:off, reg}), which gives the TLS offset. The
 * witnesses are runtime functions written in Go, so their prologues are the compiler's.
 */
final class GAccessFinder {
  /** Go functions every program has, whose prologues show where g is. */
  static final List<String> WITNESSES = List.of("runtime.main", "main.main", "runtime.newproc1",
      "runtime.mallocgc", "runtime.schedule");

  private GAccessFinder() {}

  /**
   * The g access of {@code bin}; {@code layout} is checked too (stackguard0 follows g.stack).
   *
   * @param matched the sites of the functions being traced, searched first for a TLS load
   */
  static GAccess find(GoBinary bin, GLayout layout, List<FunctionSites> matched) throws GoBinaryException {
    String name = bin.path().toString();
    OptionalLong guard = OptionalLong.empty();
    OptionalLong tls = OptionalLong.empty();
    String witness = null;
    // The first witness whose prologue shows g is the proof (runtime.main in every program);
    // the others are decoded only when it has no stack check.
    witnesses:
    for (String w : WITNESSES) {
      for (GoFunc f : bin.functionsNamed(w)) {
        FunctionSites s = bin.tracedSites(f);
        if (s.registerGStackGuard().isPresent() || s.tlsGOffset().isPresent()) {
          guard = s.registerGStackGuard();
          tls = s.tlsGOffset();
          witness = w;
          break witnesses;
        }
      }
    }
    boolean versionSaysRegisters = bin.goVersion().minorKnown() && bin.arch().registerAbi(bin.goVersion().minor());
    if (guard.isPresent() && tls.isEmpty()) {
      if (!versionSaysRegisters) {
        throw refused(name, bin, witness + " keeps g in R14 (the register ABI), which " + bin.goVersion()
            + " does not use");
      }
      long expected = layout.stackHi() + bin.arch().ptrSize();
      if (guard.getAsLong() != expected) {
        throw refused(name, bin, String.format("%s compares SP with g+0x%x, but runtime.g's stackguard0 is at 0x%x"
            + " (after stack.hi at 0x%x)", witness, guard.getAsLong(), expected, layout.stackHi()));
      }
      return new GAccess.InRegister(bin.arch().gRegister().orElseThrow());
    }
    if (tls.isPresent() && guard.isEmpty()) {
      if (versionSaysRegisters) {
        throw refused(name, bin, witness + " loads g from thread-local storage, but " + bin.goVersion()
            + " passes it in R14");
      }
      for (FunctionSites s : matched) {
        if (s.tlsGOffset().isPresent() && s.tlsGOffset().getAsLong() != tls.getAsLong()) {
          throw refused(name, bin, String.format("%s loads g from FS%+d, %s from FS%+d", s.name(),
              s.tlsGOffset().getAsLong(), witness, tls.getAsLong()));
        }
      }
      return new GAccess.ThreadLocal(tls.getAsLong());
    }
    throw refused(name, bin, guard.isPresent()
        ? witness + "'s prologue both loads g from thread-local storage and compares SP through R14"
        : "no prologue of " + String.join(", ", WITNESSES) + " shows where g is (R14 or thread-local storage)");
  }

  private static PlanException refused(String name, GoBinary bin, String why) {
    return new PlanException.NoGoroutineLayout(name, bin.goVersion().toString(), why);
  }
}
