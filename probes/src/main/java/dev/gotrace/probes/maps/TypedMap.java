package dev.gotrace.probes.maps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/** Java-typed access to a {@link BpfMap}; per-CPU maps read one value per possible CPU. */
public final class TypedMap<K, V> {
  private final BpfMap map;
  private final Codec<K> keys;
  private final Codec<V> values;

  TypedMap(BpfMap map, Codec<K> keys, Codec<V> values) {
    if (keys.size() != map.spec().keySize() || values.size() != map.spec().valueSize()) {
      throw new IllegalArgumentException(map + ": codec sizes " + keys.size() + "/" + values.size()
          + " do not match key/value sizes " + map.spec().keySize() + "/" + map.spec().valueSize());
    }
    this.map = map;
    this.keys = keys;
    this.values = values;
  }

  public Optional<V> lookup(K key) {
    if (map.spec().type().perCpu()) {
      throw new IllegalStateException(map + " is per-CPU: use lookupPerCpu or sum");
    }
    return map.lookup(keys.encode(key)).map(values::decode);
  }

  /** The value on each possible CPU. */
  public Optional<List<V>> lookupPerCpu(K key) {
    return map.lookupPerCpu(keys.encode(key)).map(l -> {
      List<V> out = new ArrayList<>(l.size());
      for (byte[] b : l) {
        out.add(values.decode(b));
      }
      return out;
    });
  }

  /** The per-CPU values of {@code key} summed over the possible CPUs; 0 when absent. */
  public long sum(K key, ToLongFunction<V> asLong) {
    return lookupPerCpu(key).map(l -> l.stream().mapToLong(asLong).sum()).orElse(0L);
  }

  public void update(K key, V value, UpdateFlag flag) {
    byte[] v = values.encode(value);
    if (map.spec().type().perCpu()) {
      int stride = (v.length + 7) & ~7;
      byte[] all = new byte[map.valueBufferSize()];
      for (int off = 0; off < all.length; off += stride) {
        System.arraycopy(v, 0, all, off, v.length);
      }
      v = all;
    }
    map.update(keys.encode(key), v, flag);
  }

  public boolean delete(K key) {
    return map.delete(keys.encode(key));
  }

  /** Every key, in the kernel's iteration order. */
  public List<K> keys() {
    List<K> out = new ArrayList<>();
    for (byte[] k : map.keys()) {
      out.add(keys.decode(k));
    }
    return out;
  }

  /** A snapshot of every entry (not per-CPU). */
  public Map<K, V> entries() {
    Map<K, V> out = new LinkedHashMap<>();
    for (byte[] k : map.keys()) {
      map.lookup(k).ifPresent(v -> out.put(keys.decode(k), values.decode(v)));
    }
    return out;
  }
}
