package dev.gotrace.core.decode;

import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * A memo of one value per program counter (callers, exit sites), open addressing on primitive
 * keys: a hit, on every event, boxes nothing and allocates nothing. Grows by doubling; not
 * thread-safe.
 *
 * @param <V> what a pc resolves to
 */
public final class PcMemo<V> {
  private final LongFunction<V> resolve;
  private long[] keys = new long[64];
  private Object[] values = new Object[64];
  private boolean[] used = new boolean[64];
  private int size;

  /** Values come from {@code resolve}, called once per distinct pc; it must not return null. */
  public PcMemo(LongFunction<V> resolve) {
    this.resolve = resolve;
  }

  /** The value of {@code pc}, resolved on its first use. */
  @SuppressWarnings("unchecked")
  public V get(long pc) {
    int mask = keys.length - 1;
    int i = slot(pc, mask);
    while (used[i]) {
      if (keys[i] == pc) {
        return (V) values[i];
      }
      i = (i + 1) & mask;
    }
    V v = resolve.apply(pc);
    if (v == null) {
      throw new IllegalStateException("no value for pc 0x" + Long.toHexString(pc));
    }
    used[i] = true;
    keys[i] = pc;
    values[i] = v;
    if (++size * 2 > keys.length) {
      grow();
    }
    return v;
  }

  /** Distinct pcs resolved so far. */
  public int size() {
    return size;
  }

  private static int slot(long pc, int mask) {
    long h = pc * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] k = keys;
    Object[] v = values;
    boolean[] u = used;
    keys = new long[k.length * 2];
    values = new Object[k.length * 2];
    used = new boolean[k.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < k.length; j++) {
      if (u[j]) {
        int i = slot(k[j], mask);
        while (used[i]) {
          i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = k[j];
        values[i] = v[j];
      }
    }
    Arrays.fill(u, false);
  }
}
