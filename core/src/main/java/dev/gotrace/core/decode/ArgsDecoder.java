package dev.gotrace.core.decode;

import dev.gotrace.core.codegen.ArgsRecord;
import dev.gotrace.core.plan.ArgsPlan;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import dev.gotrace.core.codegen.ArgsProgram;
import dev.gotrace.core.stack.GoStack;
import dev.gotrace.core.stack.StackTable;
import java.util.Map;

/**
 * Decodes args records into {@link Event}s and matches each return with its entry by
 * {@code (pid, g, stack.hi - SP)}: SP at a RET equals SP at the entry probe (both point at the
 * return address), and the distance from the stack's top survives the stack being copied.
 * Not thread-safe; one per consumer thread.
 */
public final class ArgsDecoder {
  /** Entries waiting for their return; the oldest are forgotten beyond this. */
  static final int MAX_PENDING = 100_000;

  private final ArgsPlan plan;
  private final TypeNames names;
  private final long wallOffsetNs;
  private final Optional<StackTable> stacks;
  private final Map<Key, Long> pending = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Long> e) {
      return size() > MAX_PENDING;
    }
  };

  private record Key(int pid, long g, long depth) {}

  public ArgsDecoder(ArgsPlan plan, TypeNames names, long wallOffsetNs) {
    this(plan, names, wallOffsetNs, Optional.empty());
  }

  /**
   * With {@code --stack}: the records of entries and inlined copies carry a stack id after their
   * layout, resolved through {@code stacks}.
   */
  public ArgsDecoder(ArgsPlan plan, TypeNames names, long wallOffsetNs, Optional<StackTable> stacks) {
    this.stacks = stacks;
    this.plan = plan;
    this.names = names;
    this.wallOffsetNs = wallOffsetNs;
  }

  /** Decodes one record; IllegalArgumentException for a record of an unknown cookie or the wrong size. */
  public Event decode(ByteBuffer record) {
    ByteBuffer b = record.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < ArgsRecord.HEADER) {
      throw new IllegalArgumentException("args record of " + b.remaining() + " bytes");
    }
    long cookie = b.getLong(ArgsRecord.COOKIE);
    ArgsPlan.Block block = plan.block(cookie);
    ArgsPlan.ArgsSite site = plan.site(cookie);
    if (b.remaining() < block.layout().size()) {
      throw new IllegalArgumentException("args record of " + b.remaining() + " bytes, expected "
          + block.layout().size());
    }
    long ktime = b.getLong(ArgsRecord.KTIME);
    long pidTgid = b.getLong(ArgsRecord.PID_TGID);
    int pid = (int) (pidTgid >>> 32);
    int tid = (int) pidTgid;
    long g = b.getLong(ArgsRecord.G);
    long goid = b.getLong(ArgsRecord.GOID);
    long sp = b.getLong(ArgsRecord.SP);
    long hi = b.getLong(ArgsRecord.STACK_HI);
    long bias = b.getLong(ArgsRecord.IP) - site.address();
    String fn = plan.functions().get(block.function()).function();
    Key key = new Key(pid, g, hi - sp);
    List<Event.Arg> all = new ValueFormatter(b, block.layout(), names, bias).format();
    int params = all.size() - block.layout().shown();
    List<Event.Arg> values = all.subList(0, params);
    List<Event.Arg> shown = all.subList(params, all.size());
    long wall = ktime + wallOffsetNs;
    GoStack stack = GoStack.NONE;
    int stackAt = block.layout().size();
    if (stacks.isPresent() && ArgsProgram.takesStack(block) && b.remaining() >= stackAt + 8) {
      stack = stacks.get().stack(b.getLong(stackAt), bias);
    }
    if (block.kind() == ArgsPlan.Kind.LINE) {
      ArgsPlan.FunctionArgs f = plan.functions().get(block.function());
      return new Event.Entry(wall, pid, tid, goid, fn, values, f.inlinedInto(), f.typed(), f.site(), shown, stack);
    }
    if (block.kind() == ArgsPlan.Kind.INLINED) {
      ArgsPlan.FunctionArgs f = plan.functions().get(block.function());
      return new Event.Entry(wall, pid, tid, goid, fn, values, f.inlinedInto(), f.typed(), "", shown, stack);
    }
    if (block.kind() == ArgsPlan.Kind.ENTRY) {
      if (g != 0 && hi != 0) {
        pending.put(key, ktime);
      }
      return new Event.Entry(wall, pid, tid, goid, fn, values, "", true, "", shown, stack);
    }
    Long start = g != 0 && hi != 0 ? pending.remove(key) : null;
    boolean known = block.kind() == ArgsPlan.Kind.RETURN;
    return new Event.Return(wall, pid, tid, goid, fn, known ? values : List.of(), known,
        start == null ? -1 : ktime - start);
  }
}
