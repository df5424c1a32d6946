package dev.gotrace.probes.maps;

import dev.gotrace.probes.sys.Mapping;
import dev.gotrace.probes.sys.Sys;
import java.nio.ByteBuffer;

/**
 * A read-only {@code mmap} of a {@link MapSpec#F_MMAPABLE} array ({@link BpfMap#mapped}): value
 * {@code i} starts at byte {@code i * roundup(valueSize, 8)}, as the kernel lays the array out
 * ({@code kernel/bpf/arraymap.c}, {@code array_map_mmap}). Reading a value is a memory load, no
 * system call; it sees the programs' atomic updates as they happen, and only the pages read count
 * in the tracer's resident memory. Owned by its map, unmapped when the map closes.
 */
public final class MappedArray implements AutoCloseable {
  private final Mapping mapping;
  private final ByteBuffer buffer;
  private final int entries;
  private final int stride;
  private final int valueSize;

  private MappedArray(Mapping mapping, int entries, int stride, int valueSize) {
    this.mapping = mapping;
    this.buffer = mapping.buffer();
    this.entries = entries;
    this.stride = stride;
    this.valueSize = valueSize;
  }

  static MappedArray of(BpfMap map) {
    MapSpec s = map.spec();
    if (!s.mmapable()) {
      throw new IllegalStateException("map " + s.name() + " is not mmapable");
    }
    int stride = (s.valueSize() + 7) & ~7;
    long page = Sys.pageSize();
    long bytes = ((long) s.maxEntries() * stride + page - 1) / page * page;
    return new MappedArray(Mapping.map(map.fd(), 0, bytes, false, "map " + s.name()), s.maxEntries(), stride,
        s.valueSize());
  }

  /** The array's length (its max_entries). */
  public int entries() {
    return entries;
  }

  /** The u64 at byte {@code offset} of value {@code i}. */
  public long u64(int i, int offset) {
    if (i < 0 || i >= entries || offset < 0 || offset + 8 > valueSize) {
      throw new IndexOutOfBoundsException("u64 at " + offset + " of value " + i + " of " + entries + " ("
          + valueSize + " bytes each)");
    }
    return buffer.getLong(i * stride + offset); // the mapping is below 2 GiB (Mapping.buffer)
  }

  @Override
  public void close() {
    mapping.close();
  }
}
