package dev.gotrace.probes.vm;

import dev.gotrace.probes.maps.MapSpec;

/**
 * A map of the interpreter, made from the {@link MapSpec} a real run would create: arrays (per-CPU
 * arrays as one CPU's), hashes (LRU hashes evicting the least recently used entry when full) and
 * ring buffers. Tests read and seed them as user space would.
 */
public sealed interface VmMap permits VmArray, VmHash, VmRing {
  /** What the map was made from. */
  MapSpec spec();

  /** The map {@code spec} describes, its values allocated in {@code space}. */
  static VmMap of(MapSpec spec, AddressSpace space) {
    return switch (spec.type()) {
      case ARRAY, PERCPU_ARRAY -> new VmArray(spec, space);
      case HASH, LRU_HASH -> new VmHash(spec, space);
      case RINGBUF -> new VmRing(spec, space);
    };
  }

  /** {@code bpf_map_lookup_elem}: the value's address, or 0. */
  default long lookup(byte[] key) {
    throw new Fault("bpf_map_lookup_elem on " + kind());
  }

  /** {@code bpf_map_update_elem}: 0 or a negative errno. */
  default long update(byte[] key, byte[] value, long flags) {
    throw new Fault("bpf_map_update_elem on " + kind());
  }

  /** {@code bpf_map_delete_elem}: 0 or a negative errno. */
  default long delete(byte[] key) {
    throw new Fault("bpf_map_delete_elem on " + kind());
  }

  /** How errors name the map: "ring buffer events". */
  default String kind() {
    return spec().type().name().toLowerCase(java.util.Locale.ROOT) + " map " + spec().name();
  }
}
