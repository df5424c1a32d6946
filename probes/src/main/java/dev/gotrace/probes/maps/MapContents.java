package dev.gotrace.probes.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every key and value of a map read at one time ({@link BpfMap#contents}), in the kernel's
 * layout: keys of {@code keySize} bytes back to back, values of {@code valueStride} bytes (for a
 * per-CPU map, {@code roundup(valueSize, 8)} bytes per possible CPU). Accessors read little-endian
 * words without copying.
 */
public final class MapContents {
  private final int count;
  private final int keySize;
  private final int valueStride;
  private final int cpuStride;
  private final int cpus;
  private final ByteBuffer keys;
  private final ByteBuffer values;

  MapContents(int count, int keySize, int valueStride, int cpuStride, int cpus, byte[] keys, byte[] values) {
    this.count = count;
    this.keySize = keySize;
    this.valueStride = valueStride;
    this.cpuStride = cpuStride;
    this.cpus = cpus;
    this.keys = ByteBuffer.wrap(keys).order(ByteOrder.LITTLE_ENDIAN);
    this.values = ByteBuffer.wrap(values).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Entries read. */
  public int size() {
    return count;
  }

  /** Values per entry: the possible CPUs of a per-CPU map, else 1. */
  public int cpus() {
    return cpus;
  }

  /** The u32 key of entry {@code i} (an array index). */
  public int keyU32(int i) {
    check(i);
    if (keySize < 4) {
      throw new IllegalStateException("keys of " + keySize + " bytes have no u32");
    }
    return keys.getInt(i * keySize);
  }

  /** A copy of entry {@code i}'s key, {@code keySize} bytes (a hash map's key as the kernel holds it). */
  public byte[] key(int i) {
    check(i);
    byte[] k = new byte[keySize];
    keys.get(i * keySize, k);
    return k;
  }

  /** The u64 at byte {@code offset} of entry {@code i}'s value on {@code cpu} (0 when not per-CPU). */
  public long valueU64(int i, int cpu, int offset) {
    check(i);
    if (cpu < 0 || cpu >= cpus || offset < 0 || offset + 8 > cpuStride) {
      throw new IndexOutOfBoundsException("cpu " + cpu + " offset " + offset + " of a " + cpuStride
          + "-byte value on " + cpus + " cpu(s)");
    }
    return values.getLong(i * valueStride + cpu * cpuStride + offset);
  }

  /** The sum over CPUs of the u64 at byte {@code offset} of entry {@code i}'s value. */
  public long sumU64(int i, int offset) {
    long s = 0;
    for (int c = 0; c < cpus; c++) {
      s += valueU64(i, c, offset);
    }
    return s;
  }

  private void check(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("entry " + i + " of " + count);
    }
  }
}
