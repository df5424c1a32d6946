package dev.gotrace.probes.ringbuf;

import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.Codec;
import dev.gotrace.probes.maps.MapSpec;

/**
 * The in-kernel count of records a program could not reserve: a one-entry per-CPU array of u64
 * (key 0) that the program increments with an atomic add, summed here over the possible CPUs.
 */
public final class DropCounter implements AutoCloseable {
  private final BpfMap map;

  private DropCounter(BpfMap map) {
    this.map = map;
  }

  /** Creates the per-CPU counter map named {@code name}. */
  public static DropCounter create(String name) {
    return new DropCounter(BpfMap.create(MapSpec.perCpuArray(name, 8, 1)));
  }

  /** The map to hand to the program loader under {@link #name()}. */
  public BpfMap map() {
    return map;
  }

  public String name() {
    return map.name();
  }

  /** Drops so far, summed over every possible CPU. */
  public long total() {
    return map.typed(Codec.U32, Codec.U64).sum(0, Long::longValue);
  }

  @Override
  public void close() {
    map.close();
  }
}
