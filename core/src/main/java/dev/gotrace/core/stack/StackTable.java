package dev.gotrace.core.stack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * User space's side of the kernel's stack map: a record carries a stack id, this reads the map's
 * value for an id the first time it is seen (one lookup per distinct stack, never per event) and
 * keeps the symbolised {@link GoStack}. Id 0 is the kernel's "not recorded, the map was full"
 * ({@link GoStack.End#MAP_FULL}); an id the map does not hold (it cannot happen while the program
 * inserts before it submits, but a replayed record may name one) is an empty
 * {@link GoStack.End#UNREADABLE} stack. Not thread-safe.
 */
public final class StackTable {
  /** The stack map's value of an id (the map of a live session, or recorded values). */
  @FunctionalInterface
  public interface Lookup {
    Optional<byte[]> value(long id);

    /** A lookup that finds nothing (before a session's maps exist). */
    Lookup NONE = id -> Optional.empty();
  }

  private final StackSymbolizer symbols;
  private final Map<Long, GoStack> stacks = new HashMap<>();
  private Lookup lookup = Lookup.NONE;

  public StackTable(StackSymbolizer symbols) {
    this.symbols = symbols;
  }

  /** Reads values through {@code lookup} from now on. */
  public void use(Lookup lookup) {
    this.lookup = lookup;
  }

  /** The key bytes of {@code id} in the kernel's map (u64 little-endian). */
  public static byte[] key(long id) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(id).array();
  }

  /** The stack of {@code id}, whose PCs are {@code bias} above the binary's link-time addresses. */
  public GoStack stack(long id, long bias) {
    if (id == 0) {
      return StackSymbolizer.mapFull();
    }
    GoStack s = stacks.get(id);
    if (s == null) {
      s = lookup.value(id).map(v -> symbols.symbolize(KernelStack.parse(v), bias))
          .orElseGet(() -> new GoStack(List.of(), GoStack.End.UNREADABLE, String.format("stack 0x%x", id)));
      stacks.put(id, s);
    }
    return s;
  }

  /**
   * The stack of {@code id} taken by a probe at link-time address {@code probe}: the load bias is
   * the walk's first PC (the probe's run-time address) minus {@code probe}, for records that do
   * not carry the probed address themselves.
   */
  public GoStack stackProbedAt(long id, long probe) {
    if (id == 0) {
      return StackSymbolizer.mapFull();
    }
    GoStack s = stacks.get(id);
    if (s == null) {
      s = lookup.value(id).map(v -> {
        KernelStack k = KernelStack.parse(v);
        return symbols.symbolize(k, k.depth() == 0 ? 0 : k.pc(0) - probe);
      }).orElseGet(() -> new GoStack(List.of(), GoStack.End.UNREADABLE, String.format("stack 0x%x", id)));
      stacks.put(id, s);
    }
    return s;
  }

  /** Distinct stacks read so far. */
  public int size() {
    return stacks.size();
  }
}
