package dev.gotrace.probes.maps;

import java.util.regex.Pattern;

/**
 * What to create: a map's name (at most 15 characters of {@code [A-Za-z0-9_.]}), type, key and
 * value sizes, capacity and flags. The constructor applies the kernel's rules so that a bad spec
 * fails with a clear message instead of a bare EINVAL.
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries,
    int flags) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]{0,15}");
  /** {@code BPF_F_MMAPABLE} (Linux 5.5): an array user space can {@code mmap} ({@link BpfMap#mapped}). */
  public static final int F_MMAPABLE = 1 << 10;

  public MapSpec {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("map name '" + name
          + "' must be at most 15 characters of [A-Za-z0-9_.]");
    }
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("map " + name + ": max_entries must be positive");
    }
    if ((flags & F_MMAPABLE) != 0 && type != MapType.ARRAY) {
      throw new IllegalArgumentException("map " + name + ": only arrays are mmapable, not " + type);
    }
    switch (type) {
      case RINGBUF -> {
        if (keySize != 0 || valueSize != 0) {
          throw new IllegalArgumentException("ring buffer " + name + ": key and value sizes must be 0");
        }
        if (Integer.bitCount(maxEntries) != 1 || maxEntries % 4096 != 0) {
          throw new IllegalArgumentException("ring buffer " + name
              + ": size must be a power of 2 and a multiple of 4096, not " + maxEntries);
        }
      }
      case ARRAY, PERCPU_ARRAY -> {
        if (keySize != 4 || valueSize <= 0) {
          throw new IllegalArgumentException("array " + name + ": key size must be 4, value size > 0");
        }
      }
      case HASH, LRU_HASH -> {
        if (keySize <= 0 || valueSize <= 0) {
          throw new IllegalArgumentException("hash " + name + ": key and value sizes must be > 0");
        }
      }
    }
  }

  public static MapSpec hash(String name, int keySize, int valueSize, int maxEntries) {
    return new MapSpec(name, MapType.HASH, keySize, valueSize, maxEntries, 0);
  }

  public static MapSpec lruHash(String name, int keySize, int valueSize, int maxEntries) {
    return new MapSpec(name, MapType.LRU_HASH, keySize, valueSize, maxEntries, 0);
  }

  public static MapSpec array(String name, int valueSize, int maxEntries) {
    return new MapSpec(name, MapType.ARRAY, 4, valueSize, maxEntries, 0);
  }

  /**
   * An array user space reads through {@code mmap} instead of system calls (one value for all
   * CPUs: programs update it with atomic instructions).
   */
  public static MapSpec mmapableArray(String name, int valueSize, int maxEntries) {
    return new MapSpec(name, MapType.ARRAY, 4, valueSize, maxEntries, F_MMAPABLE);
  }

  /** Whether {@link #F_MMAPABLE} is set. */
  public boolean mmapable() {
    return (flags & F_MMAPABLE) != 0;
  }

  public static MapSpec perCpuArray(String name, int valueSize, int maxEntries) {
    return new MapSpec(name, MapType.PERCPU_ARRAY, 4, valueSize, maxEntries, 0);
  }

  /** A ring buffer of {@code bytes} (a power of 2, multiple of the 4096-byte page). */
  public static MapSpec ringBuf(String name, int bytes) {
    return new MapSpec(name, MapType.RINGBUF, 0, 0, bytes, 0);
  }
}
