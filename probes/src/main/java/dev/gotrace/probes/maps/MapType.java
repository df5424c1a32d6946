package dev.gotrace.probes.maps;

/** The map types gotrace creates, with their {@code enum bpf_map_type} values. */
public enum MapType {
  HASH(1, false), ARRAY(2, false), PERCPU_ARRAY(6, true), LRU_HASH(9, false), RINGBUF(27, false);

  private final int value;
  private final boolean perCpu;

  MapType(int value, boolean perCpu) {
    this.value = value;
    this.perCpu = perCpu;
  }

  public int value() {
    return value;
  }

  /** Whether user space sees one value per possible CPU. */
  public boolean perCpu() {
    return perCpu;
  }
}
