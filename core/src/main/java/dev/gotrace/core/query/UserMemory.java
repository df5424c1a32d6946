package dev.gotrace.core.query;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The user memory a probe reads ({@code bpf_probe_read_user}), as recorded: a read outside it faults. */
public interface UserMemory {
  /** The {@code n} bytes at {@code address}, or empty when some are not there (0 bytes are always there, as for the kernel). */
  Optional<byte[]> read(long address, int n);

  /** Memory of a few recorded regions; a read must fall inside one of them. */
  final class Sparse implements UserMemory {
    private final TreeMap<Long, byte[]> regions = new TreeMap<>(Long::compareUnsigned);

    /** Records {@code bytes} at {@code address} (regions must not overlap). */
    public Sparse put(long address, byte[] bytes) {
      regions.put(address, bytes.clone());
      return this;
    }

    public Map<Long, byte[]> regions() {
      return java.util.Collections.unmodifiableMap(regions);
    }

    @Override
    public Optional<byte[]> read(long address, int n) {
      if (n <= 0) {
        return n == 0 ? Optional.of(new byte[0]) : Optional.empty();
      }
      Map.Entry<Long, byte[]> e = regions.floorEntry(address);
      if (e == null) {
        return Optional.empty();
      }
      long from = address - e.getKey();
      if (Long.compareUnsigned(address + n, address) < 0 || from + n > e.getValue().length) {
        return Optional.empty();
      }
      return Optional.of(java.util.Arrays.copyOfRange(e.getValue(), (int) from, (int) from + n));
    }
  }
}
