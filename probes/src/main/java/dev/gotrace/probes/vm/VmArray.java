package dev.gotrace.probes.vm;

import dev.gotrace.probes.maps.MapSpec;

/**
 * An array map: {@code max_entries} zeroed values, each {@code round_up(value_size, 8)} bytes
 * apart as in {@code kernel/bpf/arraymap.c}. Updates of an index past the end fail with E2BIG,
 * BPF_NOEXIST with EEXIST (every element exists), deletes with EINVAL.
 */
public final class VmArray implements VmMap {
  private final MapSpec spec;
  private final Region values;

  VmArray(MapSpec spec, AddressSpace space) {
    this.spec = spec;
    int stride = (spec.valueSize() + 7) / 8 * 8;
    this.values = space.allocate("map " + spec.name(), spec.valueSize(), stride, spec.maxEntries(), true);
  }

  @Override
  public MapSpec spec() {
    return spec;
  }

  /** A copy of value {@code index}. */
  public byte[] value(int index) {
    byte[] out = new byte[spec.valueSize()];
    System.arraycopy(values.bytes, at(index), out, 0, out.length);
    return out;
  }

  /** The u64 at byte {@code offset} of value {@code index}. */
  public long u64(int index, int offset) {
    if (offset < 0 || offset + 8 > spec.valueSize()) {
      throw new IndexOutOfBoundsException("offset " + offset + " of a " + spec.valueSize() + "-byte value");
    }
    return Bytes.get(values.bytes, at(index) + offset, 8);
  }

  /** Sets value {@code index}, as user space's update would. */
  public void set(int index, byte[] value) {
    if (value.length != spec.valueSize()) {
      throw new IllegalArgumentException("value of " + value.length + " bytes, the map's are " + spec.valueSize());
    }
    System.arraycopy(value, 0, values.bytes, at(index), value.length);
  }

  private int at(int index) {
    if (index < 0 || index >= spec.maxEntries()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + spec.maxEntries());
    }
    return index * values.stride;
  }

  private static long index(byte[] key) {
    return Bytes.get(key, 0, 4);
  }

  @Override
  public long lookup(byte[] key) {
    long i = index(key);
    return i < spec.maxEntries() ? values.base + i * values.stride : 0;
  }

  @Override
  public long update(byte[] key, byte[] value, long flags) {
    if (flags > 2) {
      return Errno.EINVAL;
    }
    long i = index(key);
    if (i >= spec.maxEntries()) {
      return Errno.E2BIG;
    }
    if (flags == 1) {
      return Errno.EEXIST;
    }
    System.arraycopy(value, 0, values.bytes, (int) i * values.stride, value.length);
    return 0;
  }

  @Override
  public long delete(byte[] key) {
    return Errno.EINVAL;
  }
}
