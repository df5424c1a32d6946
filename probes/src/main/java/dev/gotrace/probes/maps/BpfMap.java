package dev.gotrace.probes.maps;

import com.sun.jna.Memory;
import dev.gotrace.probes.priv.Features;
import dev.gotrace.probes.sys.Attr;
import dev.gotrace.probes.sys.Bpf;
import dev.gotrace.probes.sys.BpfCmd;
import dev.gotrace.probes.sys.Errno;
import dev.gotrace.probes.sys.Fd;
import dev.gotrace.probes.sys.SyscallException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * An owned BPF map with byte-level element access. Per-CPU maps exchange
 * {@code roundup(valueSize, 8) × possible CPUs} bytes with the kernel; {@link #lookupPerCpu}
 * splits them. {@link #typed} gives a view with Java keys and values.
 */
public final class BpfMap implements AutoCloseable {
  /** Entries per BPF_MAP_LOOKUP_BATCH call; far more than a hash bucket holds, so no ENOSPC. */
  private static final int BATCH_CHUNK = 4096;

  private final MapSpec spec;
  private final Fd fd;
  private MappedArray mapped;

  private BpfMap(MapSpec spec, Fd fd) {
    this.spec = spec;
    this.fd = fd;
  }

  /**
   * Creates the map (BPF_MAP_CREATE). A ring buffer on a kernel without them (before 5.8) is an
   * {@link dev.gotrace.probes.priv.UnsupportedFeature}, not the kernel's EINVAL.
   */
  public static BpfMap create(MapSpec spec) {
    if (spec.type() == MapType.RINGBUF) {
      Features.ringBuffer().require();
    }
    Attr a = Bpf.attr()
        .u32(0, spec.type().value())
        .u32(4, spec.keySize())
        .u32(8, spec.valueSize())
        .u32(12, spec.maxEntries())
        .u32(16, spec.flags())
        .name(28, 16, spec.name());
    return new BpfMap(spec, Bpf.callFd(BpfCmd.BPF_MAP_CREATE, a, "map " + spec.name()));
  }

  public MapSpec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  /** The descriptor (for LD_IMM64 map references, mmap and epoll). */
  public Fd fd() {
    return fd;
  }

  /** Bytes of one value as exchanged with the kernel (all CPUs for a per-CPU map). */
  public int valueBufferSize() {
    if (spec.type().perCpu()) {
      return ((spec.valueSize() + 7) & ~7) * PossibleCpus.count();
    }
    return spec.valueSize();
  }

  private Memory key(byte[] key) {
    if (key.length != spec.keySize()) {
      throw new IllegalArgumentException("map " + spec.name() + ": key must be " + spec.keySize()
          + " bytes, got " + key.length);
    }
    return Attr.bytes(key);
  }

  /** The value stored under {@code key}, or empty when absent (ENOENT). */
  public Optional<byte[]> lookup(byte[] key) {
    Memory value = new Memory(valueBufferSize());
    value.clear();
    Attr a = Bpf.attr().u32(0, fd.get()).ptr(8, key(key)).ptr(16, value);
    try {
      Bpf.call(BpfCmd.BPF_MAP_LOOKUP_ELEM, a, "map " + spec.name());
    } catch (SyscallException e) {
      if (e.is(Errno.ENOENT)) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(value.getByteArray(0, valueBufferSize()));
  }

  /** One value per possible CPU for a per-CPU map; empty when absent. */
  public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
    if (!spec.type().perCpu()) {
      throw new IllegalStateException("map " + spec.name() + " is not per-CPU");
    }
    return lookup(key).map(all -> {
      int stride = (spec.valueSize() + 7) & ~7;
      List<byte[]> out = new ArrayList<>();
      for (int off = 0; off < all.length; off += stride) {
        byte[] one = new byte[spec.valueSize()];
        System.arraycopy(all, off, one, 0, one.length);
        out.add(one);
      }
      return out;
    });
  }

  /** Stores {@code value} (for a per-CPU map: {@link #valueBufferSize()} bytes, all CPUs). */
  public void update(byte[] key, byte[] value, UpdateFlag flag) {
    if (value.length != valueBufferSize()) {
      throw new IllegalArgumentException("map " + spec.name() + ": value must be "
          + valueBufferSize() + " bytes, got " + value.length);
    }
    Attr a = Bpf.attr().u32(0, fd.get()).ptr(8, key(key)).ptr(16, Attr.bytes(value))
        .u64(24, flag.value);
    Bpf.call(BpfCmd.BPF_MAP_UPDATE_ELEM, a, "map " + spec.name());
  }

  /** Deletes {@code key}; returns false when it was absent. Arrays refuse deletes (EINVAL). */
  public boolean delete(byte[] key) {
    Attr a = Bpf.attr().u32(0, fd.get()).ptr(8, key(key));
    try {
      Bpf.call(BpfCmd.BPF_MAP_DELETE_ELEM, a, "map " + spec.name());
      return true;
    } catch (SyscallException e) {
      if (e.is(Errno.ENOENT)) {
        return false;
      }
      throw e;
    }
  }

  /** The key after {@code key} (null = the first), or empty at the end. */
  public Optional<byte[]> nextKey(byte[] key) {
    Memory next = new Memory(Math.max(1, spec.keySize()));
    Attr a = Bpf.attr().u32(0, fd.get()).ptr(16, next);
    if (key != null) {
      a.ptr(8, key(key));
    }
    try {
      Bpf.call(BpfCmd.BPF_MAP_GET_NEXT_KEY, a, "map " + spec.name());
    } catch (SyscallException e) {
      if (e.is(Errno.ENOENT)) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(next.getByteArray(0, spec.keySize()));
  }

  /** Iterates the keys (BPF_MAP_GET_NEXT_KEY); concurrent kernel updates may skip or repeat keys. */
  public Iterable<byte[]> keys() {
    return () -> new Iterator<>() {
      private Optional<byte[]> next = nextKey(null);

      public boolean hasNext() {
        return next.isPresent();
      }

      public byte[] next() {
        byte[] k = next.orElseThrow(NoSuchElementException::new);
        next = nextKey(k);
        return k;
      }
    };
  }

  /**
   * Every entry, read with BPF_MAP_LOOKUP_BATCH (Linux 5.6; arrays and hash maps) in a few
   * system calls instead of two per key; where the kernel refuses batches (EINVAL, ENOTSUPP,
   * EOPNOTSUPP) it falls back to {@link #keys} and a lookup per key. Concurrent kernel updates may
   * be seen or not, as with single lookups.
   */
  public MapContents contents() {
    int stride = spec.type().perCpu() ? (spec.valueSize() + 7) & ~7 : spec.valueSize();
    int cpus = spec.type().perCpu() ? PossibleCpus.count() : 1;
    int valueBytes = valueBufferSize();
    int max = Math.max(1, spec.maxEntries());
    try {
      return batched(max, stride, cpus, valueBytes);
    } catch (SyscallException e) {
      if (!e.is(Errno.EINVAL) && !e.is(Errno.ENOTSUPP) && !e.is(Errno.EOPNOTSUPP)) {
        throw e;
      }
    }
    ByteArrayOutputStream keys = new ByteArrayOutputStream();
    ByteArrayOutputStream values = new ByteArrayOutputStream();
    int n = 0;
    for (byte[] k : keys()) {
      Optional<byte[]> v = lookup(k);
      if (v.isPresent()) {
        keys.writeBytes(k);
        values.writeBytes(v.get());
        n++;
      }
    }
    return new MapContents(n, spec.keySize(), valueBytes, stride, cpus, keys.toByteArray(), values.toByteArray());
  }

  private MapContents batched(int max, int stride, int cpus, int valueBytes) {
    int chunk = Math.min(max, BATCH_CHUNK);
    int keySize = spec.keySize();
    Memory keyBuf = new Memory((long) chunk * Math.max(1, keySize));
    Memory valueBuf = new Memory((long) chunk * valueBytes);
    Memory in = new Memory(8);
    Memory out = new Memory(8);
    in.clear();
    out.clear();
    // grown by doubling (a copy per chunk made reading a large array quadratic)
    byte[] keys = new byte[chunk * keySize];
    byte[] values = new byte[chunk * valueBytes];
    int n = 0;
    boolean first = true;
    while (true) {
      Attr a = Bpf.attr().ptr(8, out).ptr(16, keyBuf).ptr(24, valueBuf).u32(32, chunk).u32(36, fd.get());
      if (!first) {
        a.ptr(0, in);
      }
      boolean end = false;
      try {
        Bpf.call(BpfCmd.BPF_MAP_LOOKUP_BATCH, a, "map " + spec.name());
      } catch (SyscallException e) {
        if (!e.is(Errno.ENOENT)) {
          throw e;
        }
        end = true;
      }
      int got = a.getU32(32);
      if (got > 0) {
        if ((long) (n + got) * valueBytes > values.length) {
          int cap = (int) Math.min(Math.max((long) max, n + got), Math.max(2L * n, (long) n + got));
          keys = Arrays.copyOf(keys, cap * keySize);
          values = Arrays.copyOf(values, cap * valueBytes);
        }
        keyBuf.read(0, keys, n * keySize, got * keySize);
        valueBuf.read(0, values, n * valueBytes, got * valueBytes);
        n += got;
      }
      if (end || got == 0 || n >= max) {
        break;
      }
      in.write(0, out.getByteArray(0, 8), 0, 8);
      first = false;
    }
    return new MapContents(n, keySize, valueBytes, stride, cpus, keys, values); // beyond n: unused capacity
  }

  /**
   * The values of an {@link MapSpec#F_MMAPABLE} array through {@code mmap} (mapped at the first
   * call, unmapped by {@link #close}): snapshots without a system call.
   */
  public synchronized MappedArray mapped() {
    if (mapped == null) {
      mapped = MappedArray.of(this);
    }
    return mapped;
  }

  /** A typed view of this map. */
  public <K, V> TypedMap<K, V> typed(Codec<K> keys, Codec<V> values) {
    return new TypedMap<>(this, keys, values);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (mapped != null) {
        mapped.close();
        mapped = null;
      }
    }
    fd.close();
  }

  @Override
  public String toString() {
    return "map " + spec.name() + " (" + spec.type() + ")";
  }
}
