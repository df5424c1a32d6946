package dev.gotrace.probes.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A zeroed native attribute block for one system call ({@code union bpf_attr},
 * {@code struct perf_event_attr}, ...). Buffers whose addresses are stored in it are kept
 * reachable by the Attr itself, because JNA does not track addresses written as integers.
 */
public final class Attr {
  private final Memory mem;
  private final List<Memory> referenced = new ArrayList<>();

  public Attr(int size) {
    mem = new Memory(size);
    mem.clear();
  }

  public Attr u32(int offset, int value) {
    mem.setInt(offset, value);
    return this;
  }

  public Attr u64(int offset, long value) {
    mem.setLong(offset, value);
    return this;
  }

  /** Stores the address of {@code buffer} at {@code offset} and keeps the buffer alive. */
  public Attr ptr(int offset, Memory buffer) {
    referenced.add(buffer);
    mem.setLong(offset, Pointer.nativeValue(buffer));
    return this;
  }

  /** Copies {@code s} as a NUL-terminated string into the fixed-size field at {@code offset}. */
  public Attr name(int offset, int fieldSize, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    if (b.length >= fieldSize) {
      throw new IllegalArgumentException("name '" + s + "' longer than " + (fieldSize - 1));
    }
    mem.write(offset, b, 0, b.length);
    return this;
  }

  public int getU32(int offset) {
    return mem.getInt(offset);
  }

  public long getU64(int offset) {
    return mem.getLong(offset);
  }

  public int size() {
    return (int) mem.size();
  }

  Memory memory() {
    return mem;
  }

  List<Memory> referenced() {
    return referenced;
  }

  /** A native copy of {@code bytes}. */
  public static Memory bytes(byte[] bytes) {
    Memory m = new Memory(Math.max(1, bytes.length));
    m.clear();
    m.write(0, bytes, 0, bytes.length);
    return m;
  }

  /** A native NUL-terminated copy of {@code s} (UTF-8). */
  public static Memory cString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    Memory m = new Memory(b.length + 1L);
    m.clear();
    m.write(0, b, 0, b.length);
    return m;
  }

  /** A native array of u64 values. */
  public static Memory u64s(long[] values) {
    Memory m = new Memory(Math.max(8, 8L * values.length));
    m.clear();
    m.write(0, values, 0, values.length);
    return m;
  }
}
