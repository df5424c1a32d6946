package dev.gotrace.core.decode;

import dev.gotrace.core.codegen.LaunchRecord;
import dev.gotrace.core.plan.GoWrappers;
import dev.gotrace.core.plan.LaunchPlan;
import dev.gotrace.core.plan.LaunchSite;
import dev.gotrace.goelf.pclntab.SourcePos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Decodes {@link LaunchRecord}s and joins each entry with its exit.
 *
 * <p>The join key is the thread. {@code runtime.newproc} calls {@code newproc1} through {@code
 * systemstack}, so newproc1 runs on the M's {@code g0} stack, where the scheduler never switches
 * goroutines and the M never changes thread: between its entry and its exit the thread runs
 * nothing else of Go, and newproc1 does not call itself. The ring buffer keeps the records of one
 * thread in the order they were reserved, so the exit record of a thread follows its entry. An
 * entry whose exit was lost is replaced by the next entry of its thread and counted in {@link
 * #unmatched()}; an exit without an entry is counted too. Not thread-safe.
 */
public final class LaunchDecoder {
  private final LaunchPlan plan;
  private final CallDecoder.Symbolizer symbols;
  private final long wallOffsetNs;
  private final Map<Long, Pending> pending = new HashMap<>();
  private final LongFunction<Optional<String>> goTarget;
  private final Map<Long, String> functions = new HashMap<>();
  private final Map<Long, String> targets = new HashMap<>();
  private final Map<Long, Event.Caller> sites = new HashMap<>();
  private long unmatched;

  private record Pending(long ktime, long fnPc, long creator, long callerPc, long bias) {}

  /**
   * @param goTarget the function a {@code go} wrapper starting at a link-time pc calls (see
   *     {@link GoWrappers}), empty when it is not one
   * @param wallOffsetNs added to the kernel's CLOCK_MONOTONIC timestamps to get ns since the epoch
   */
  public LaunchDecoder(LaunchPlan plan, CallDecoder.Symbolizer symbols,
      LongFunction<Optional<String>> goTarget, long wallOffsetNs) {
    this.plan = plan;
    this.goTarget = goTarget;
    this.symbols = symbols;
    this.wallOffsetNs = wallOffsetNs;
  }

  /**
   * Takes one record; returns the launch when it completes one (at an exit). Throws
   * IllegalArgumentException for a record of the wrong size or cookie.
   */
  public Optional<Event.Launch> decode(ByteBuffer record) {
    if (record.remaining() < LaunchRecord.SIZE) {
      throw new IllegalArgumentException("record of " + record.remaining() + " bytes, expected "
          + LaunchRecord.SIZE);
    }
    ByteBuffer b = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int base = b.position();
    long ktime = b.getLong(base + LaunchRecord.KTIME);
    long pidTgid = b.getLong(base + LaunchRecord.PID_TGID);
    LaunchSite site = plan.site(b.getLong(base + LaunchRecord.COOKIE));
    long bias = b.getLong(base + LaunchRecord.IP) - site.address();
    long goid = b.getLong(base + LaunchRecord.GOID);
    if (!site.exit()) {
      Pending old = pending.put(pidTgid, new Pending(ktime, b.getLong(base + LaunchRecord.FNPC), goid,
          b.getLong(base + LaunchRecord.CALLERPC), bias));
      if (old != null) {
        unmatched++;
      }
      return Optional.empty();
    }
    Pending p = pending.remove(pidTgid);
    if (p == null) {
      unmatched++;
      return Optional.empty();
    }
    return Optional.of(new Event.Launch(p.ktime + wallOffsetNs, (int) (pidTgid >>> 32), (int) pidTgid, p.creator,
        function(p.fnPc, p.bias), target(p.fnPc, p.bias), site(p.callerPc, p.bias), goid, Math.max(0, ktime - p.ktime)));
  }

  /** Halves that found no partner so far (their other half was lost). */
  public long unmatched() {
    return unmatched;
  }

  private String function(long pc, long bias) {
    if (pc == 0) {
      return "?";
    }
    return functions.computeIfAbsent(pc - bias, k -> symbols.function(k).orElse("?"));
  }

  private String target(long pc, long bias) {
    if (pc == 0) {
      return "";
    }
    return targets.computeIfAbsent(pc - bias, k -> goTarget.apply(k).orElse(""));
  }

  private Event.Caller site(long ret, long bias) {
    if (ret == 0) {
      return Event.Caller.unknown(0);
    }
    Event.Caller c = sites.computeIfAbsent(ret - bias, key -> {
      // callerpc is the return address of the call of newproc; the go statement is at ret - 1.
      long pc = key - 1;
      Optional<String> fn = symbols.function(pc);
      Optional<SourcePos> pos = fn.isPresent() ? symbols.position(pc) : Optional.empty();
      return new Event.Caller(fn.orElse("?"), pos.map(SourcePos::file).orElse(""),
          pos.map(SourcePos::line).orElse(0), key);
    });
    return new Event.Caller(c.function(), c.file(), c.line(), ret);
  }
}
