package dev.gotrace.probes.vm;

import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.maps.MapType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hash map ({@code kernel/bpf/hashtab.c}): BPF_NOEXIST on a present key fails with EEXIST,
 * BPF_EXIST on a missing one with ENOENT, a new key in a full map with E2BIG, except in an LRU
 * hash, which evicts the least recently used entry (exactly; the kernel's LRU is approximate).
 * A deleted entry's value stays addressable, as it does for the rest of an RCU section.
 */
public final class VmHash implements VmMap {
  private final MapSpec spec;
  private final AddressSpace space;
  private final LinkedHashMap<Key, Region> entries;

  /** One key's bytes, compared by content. */
  private record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  /** A key and a copy of its value. */
  public record Entry(byte[] key, byte[] value) {}

  VmHash(MapSpec spec, AddressSpace space) {
    this.spec = spec;
    this.space = space;
    this.entries = new LinkedHashMap<>(16, 0.75f, lru());
  }

  private boolean lru() {
    return spec.type() == MapType.LRU_HASH;
  }

  @Override
  public MapSpec spec() {
    return spec;
  }

  /** The number of entries. */
  public int size() {
    return entries.size();
  }

  /** A copy of the value under {@code key}. */
  public Optional<byte[]> get(byte[] key) {
    Region r = entries.get(new Key(checked(key)));
    return r == null ? Optional.empty() : Optional.of(r.bytes.clone());
  }

  /** The entries, oldest first (least recently used first in an LRU hash). */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<Key, Region> e : entries.entrySet()) {
      out.add(new Entry(e.getKey().bytes.clone(), e.getValue().bytes.clone()));
    }
    return out;
  }

  /** Sets {@code key} to {@code value}, as user space's update with BPF_ANY would. */
  public void put(byte[] key, byte[] value) {
    if (value.length != spec.valueSize()) {
      throw new IllegalArgumentException("value of " + value.length + " bytes, the map's are " + spec.valueSize());
    }
    long r = update(checked(key), value, 0);
    if (r != 0) {
      throw new IllegalStateException("map " + spec.name() + " is full (" + spec.maxEntries() + " entries)");
    }
  }

  private byte[] checked(byte[] key) {
    if (key.length != spec.keySize()) {
      throw new IllegalArgumentException("key of " + key.length + " bytes, the map's are " + spec.keySize());
    }
    return key;
  }

  @Override
  public long lookup(byte[] key) {
    Region r = entries.get(new Key(key));
    return r == null ? 0 : r.base;
  }

  @Override
  public long update(byte[] key, byte[] value, long flags) {
    if (flags > 2) {
      return Errno.EINVAL;
    }
    Key k = new Key(key.clone());
    Region r = entries.get(k);
    if (r != null) {
      if (flags == 1) {
        return Errno.EEXIST;
      }
      System.arraycopy(value, 0, r.bytes, 0, value.length);
      return 0;
    }
    if (flags == 2) {
      return Errno.ENOENT;
    }
    if (entries.size() >= spec.maxEntries()) {
      if (!lru()) {
        return Errno.E2BIG;
      }
      entries.remove(entries.keySet().iterator().next());
    }
    r = space.allocate("a value of map " + spec.name(), spec.valueSize(), spec.valueSize(), 1, true);
    System.arraycopy(value, 0, r.bytes, 0, value.length);
    entries.put(k, r);
    return 0;
  }

  @Override
  public long delete(byte[] key) {
    return entries.remove(new Key(key)) == null ? Errno.ENOENT : 0;
  }
}
