package dev.gotrace.core.decode;

import dev.gotrace.core.codegen.CallRecord;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.core.plan.RecordLayout;
import dev.gotrace.core.stack.GoStack;
import dev.gotrace.core.stack.StackTable;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.InlinedCall;
import dev.gotrace.goelf.pclntab.SourcePos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * Decodes {@link CallRecord}s. Not thread-safe (it caches callers); one per consumer thread.
 */
public final class CallDecoder {
  private final ProbePlan plan;
  private final Symbolizer symbols;
  private final long wallOffsetNs;
  private final PcMemo<Event.Caller> callers;
  private final Optional<StackTable> stacks;

  /** Resolves a link-time pc to the function and source position, as pclntab says. */
  public interface Symbolizer {
    Optional<String> function(long pc);

    Optional<SourcePos> position(long pc);

    /** Through a binary's pclntab. */
    static Symbolizer of(GoBinary bin) {
      return new Symbolizer() {
        @Override
        public Optional<String> function(long pc) {
          return bin.funcForPc(pc).map(GoFunc::name);
        }

        @Override
        public Optional<SourcePos> position(long pc) {
          try {
            return bin.sourcePos(pc);
          } catch (GoBinaryException e) {
            return Optional.empty();
          }
        }
      };
    }
  }

  /**
   * @param wallOffsetNs added to the kernel's CLOCK_MONOTONIC timestamps to get ns since the epoch
   */
  public CallDecoder(ProbePlan plan, Symbolizer symbols, long wallOffsetNs) {
    this(plan, symbols, wallOffsetNs, RecordLayout.of(List.of(), 1), null,
        Optional.empty());
  }

  /**
   * With {@code --stack}: records of {@link CallRecord#SIZE_WITH_STACK} bytes carry a stack id,
   * resolved through {@code stacks}.
   */
  public CallDecoder(ProbePlan plan, Symbolizer symbols, long wallOffsetNs, Optional<StackTable> stacks) {
    this(plan, symbols, wallOffsetNs, RecordLayout.of(List.of(), 1), null, stacks);
  }

  /**
   * A decoder of records that carry {@code --show} values after the fixed words, laid out by
   * {@code shows} (its values all {@link dev.gotrace.core.plan.RecordLayout#shown}), named by {@code names}.
   */
  public CallDecoder(ProbePlan plan, Symbolizer symbols, long wallOffsetNs, RecordLayout shows,
      TypeNames names) {
    this(plan, symbols, wallOffsetNs, shows, names, Optional.empty());
  }

  /**
   * Records with {@code --show} values ({@code shows}, named by {@code names}) and, when {@code
   * stacks} is present, a stack id at {@link CallRecord#STACK} resolved through it.
   */
  public CallDecoder(ProbePlan plan, Symbolizer symbols, long wallOffsetNs, RecordLayout shows,
      TypeNames names, Optional<StackTable> stacks) {
    this.stacks = stacks;
    this.plan = plan;
    this.symbols = symbols;
    this.wallOffsetNs = wallOffsetNs;
    this.callers = new PcMemo<>(this::resolve);
    this.shows = shows;
    this.names = names;
  }

  private final RecordLayout shows;
  private final TypeNames names;

  /** Decodes one record; throws IllegalArgumentException for a record of the wrong size or cookie. */
  public Event.Call decode(ByteBuffer record) {
    if (record.remaining() < CallRecord.SIZE) {
      throw new IllegalArgumentException("record of " + record.remaining() + " bytes, expected "
          + CallRecord.SIZE);
    }
    // absolute little-endian reads: no duplicate of the record's buffer per event
    ByteBuffer b = record.order() == ByteOrder.LITTLE_ENDIAN ? record : record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int base = record.position();
    long ktime = b.getLong(base + CallRecord.KTIME);
    long pidTgid = b.getLong(base + CallRecord.PID_TGID);
    ProbeSite site = plan.site(b.getLong(base + CallRecord.COOKIE));
    long ret = b.getLong(base + CallRecord.RETURN);
    long goid = b.getLong(base + CallRecord.GOID);
    long ip = b.getLong(base + CallRecord.IP);
    long bias = ip - site.probeAddress();
    boolean line = site.line().isPresent();
    Event.Caller caller;
    if (line) {
      // An inlined copy's caller is where it was inlined; the host's own code, the return address
      // the program read at SP + the SP delta of the line's PC.
      Optional<InlinedCall> copy = site.line().get().site().copy();
      caller = copy.isPresent()
          ? new Event.Caller(copy.get().caller(), copy.get().callSite().map(SourcePos::file).orElse(""),
              copy.get().callSite().map(SourcePos::line).orElse(0), 0)
          : caller(ret, bias);
    } else {
      caller = caller(ret, bias);
    }
    String where = line ? site.site() : "";
    List<Event.Arg> shown = List.of();
    if (!shows.values().isEmpty()) {
      if (record.remaining() < shows.size()) {
        throw new IllegalArgumentException("record of " + record.remaining() + " bytes, expected " + shows.size());
      }
      shown = new ValueFormatter(record.slice().order(ByteOrder.LITTLE_ENDIAN), shows, names, bias).format();
    }
    GoStack stack = stacks.isPresent() && record.remaining() >= CallRecord.SIZE_WITH_STACK
        ? stacks.get().stack(b.getLong(base + CallRecord.STACK), bias) : GoStack.NONE;
    if (!line && shown.isEmpty() && !stack.taken()) {
      return new Event.Call(ktime + wallOffsetNs, (int) (pidTgid >>> 32), (int) pidTgid, goid, site.function(), caller);
    }
    return new Event.Call(ktime + wallOffsetNs, (int) (pidTgid >>> 32), (int) pidTgid, goid, site.function(), caller,
        where, shown, stack);
  }

  /**
   * The caller of a return address as the process saw it ({@code ret}), memoised by its link-time
   * address: a call from a known site allocates nothing in a non-PIE binary; {@code bias} is the
   * process's load bias (PIE), whose callers are copies carrying the process's own address.
   */
  private Event.Caller caller(long ret, long bias) {
    if (ret == 0) {
      return Event.Caller.unknown(0);
    }
    Event.Caller c = callers.get(ret - bias);
    return bias == 0 ? c : new Event.Caller(c.function(), c.file(), c.line(), ret);
  }

  private Event.Caller resolve(long key) {
    // A return address follows the call; the call itself is at key - 1.
    long pc = key - 1;
    Optional<String> fn = symbols.function(pc);
    Optional<SourcePos> pos = fn.isPresent() ? symbols.position(pc) : Optional.empty();
    return new Event.Caller(fn.orElse("?"), pos.map(SourcePos::file).orElse(""), pos.map(SourcePos::line).orElse(0), key);
  }
}
