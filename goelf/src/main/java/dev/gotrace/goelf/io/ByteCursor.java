package dev.gotrace.goelf.io;

import dev.gotrace.goelf.CorruptBinaryException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A bounds-checked little-endian reader over a region of untrusted bytes (a section, a table).
 *
 * <p>The cursor has a position; reads advance it. Absolute reads ({@code u32At}) leave it alone.
 * Every failure is a {@link CorruptBinaryException} naming the region and the offset at which
 * the read began, relative to {@link #base()} (the region's file offset or address), so error
 * messages point at the bytes a user could inspect with a hex editor.
 *
 * <p>Not thread-safe: make a {@link #duplicate()} per reader.
 */
public final class ByteCursor {
  /** Largest allocation a header count may ask for (bytes or elements). */
  public static final int MAX_ALLOCATION = 64 << 20;

  private final ByteBuffer buf; // position 0 .. limit, little-endian, independent of the source
  private final Path file;
  private final String region;
  private final long base;
  private int pos;

  private ByteCursor(ByteBuffer buf, Path file, String region, long base) {
    this.buf = buf;
    this.file = file;
    this.region = region;
    this.base = base;
  }

  /** A cursor over all remaining bytes of {@code bytes}, which it does not copy. */
  public static ByteCursor of(ByteBuffer bytes, Path file, String region, long base) {
    return new ByteCursor(bytes.slice().order(ByteOrder.LITTLE_ENDIAN), file, region, base);
  }

  public static ByteCursor of(byte[] bytes, Path file, String region, long base) {
    return of(ByteBuffer.wrap(bytes), file, region, base);
  }

  public Path file() {
    return file;
  }

  public String region() {
    return region;
  }

  /** The file offset or address of byte 0 of this region, used in messages. */
  public long base() {
    return base;
  }

  public int size() {
    return buf.limit();
  }

  public int position() {
    return pos;
  }

  public int remaining() {
    return buf.limit() - pos;
  }

  public boolean hasRemaining() {
    return pos < buf.limit();
  }

  public ByteCursor seek(long offset) throws CorruptBinaryException {
    check(offset, 0);
    pos = (int) offset;
    return this;
  }

  public ByteCursor skip(long n) throws CorruptBinaryException {
    check(pos, n);
    pos += (int) n;
    return this;
  }

  /** An independent cursor over the same bytes, at the same position. */
  public ByteCursor duplicate() {
    ByteCursor c = new ByteCursor(buf, file, region, base);
    c.pos = pos;
    return c;
  }

  /** A cursor over {@code [offset, offset+length)} of this one, named {@code name}. */
  public ByteCursor slice(long offset, long length, String name) throws CorruptBinaryException {
    check(offset, length);
    ByteBuffer b = buf.slice((int) offset, (int) length).order(ByteOrder.LITTLE_ENDIAN);
    return new ByteCursor(b, file, name, base + offset);
  }

  /** A cursor over {@code [offset, offset+length)} of this one, keeping this region's name. */
  public ByteCursor slice(long offset, long length) throws CorruptBinaryException {
    return slice(offset, length, region);
  }

  // ---- relative reads

  public int u8() throws CorruptBinaryException {
    int v = u8At(pos);
    pos += 1;
    return v;
  }

  public int u16() throws CorruptBinaryException {
    int v = u16At(pos);
    pos += 2;
    return v;
  }

  public long u32() throws CorruptBinaryException {
    long v = u32At(pos);
    pos += 4;
    return v;
  }

  public int i32() throws CorruptBinaryException {
    int v = i32At(pos);
    pos += 4;
    return v;
  }

  public long u64() throws CorruptBinaryException {
    long v = u64At(pos);
    pos += 8;
    return v;
  }

  /** A pointer-sized unsigned word: 4 or 8 bytes. */
  public long word(int size) throws CorruptBinaryException {
    long v = wordAt(pos, size);
    pos += size;
    return v;
  }

  /** Unsigned LEB128, at most 10 bytes; overflow past 64 bits is corruption. */
  public long uleb128() throws CorruptBinaryException {
    int start = pos;
    long result = 0;
    int shift = 0;
    while (true) {
      if (pos >= buf.limit()) {
        throw corrupt(start, "truncated LEB128 value");
      }
      int b = buf.get(pos++) & 0xff;
      if (shift == 63 && (b & 0x7e) != 0 || shift > 63) {
        throw corrupt(start, "LEB128 value overflows 64 bits");
      }
      result |= (long) (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
  }

  /** Signed LEB128, at most 10 bytes. */
  public long sleb128() throws CorruptBinaryException {
    int start = pos;
    long result = 0;
    int shift = 0;
    int b;
    do {
      if (pos >= buf.limit()) {
        throw corrupt(start, "truncated LEB128 value");
      }
      if (shift > 63) {
        throw corrupt(start, "LEB128 value overflows 64 bits");
      }
      b = buf.get(pos++) & 0xff;
      result |= (long) (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    if (shift < 64 && (b & 0x40) != 0) {
      result |= -1L << shift;
    }
    return result;
  }

  /** The Go runtime's varint (unsigned LEB128 limited to 32 bits) used in pclntab tables. */
  public long uvarint32() throws CorruptBinaryException {
    int start = pos;
    long v = uleb128();
    if ((v >>> 32) != 0) {
      throw corrupt(start, "varint exceeds 32 bits");
    }
    return v;
  }

  public byte[] bytes(long n) throws CorruptBinaryException {
    byte[] b = bytesAt(pos, n);
    pos += b.length;
    return b;
  }

  /** A NUL-terminated string (UTF-8); the NUL is consumed. */
  public String cstring() throws CorruptBinaryException {
    String s = cstringAt(pos);
    pos = indexOfNul(pos) + 1;
    return s;
  }

  // ---- absolute reads

  public int u8At(long off) throws CorruptBinaryException {
    check(off, 1);
    return buf.get((int) off) & 0xff;
  }

  public int u16At(long off) throws CorruptBinaryException {
    check(off, 2);
    return buf.getShort((int) off) & 0xffff;
  }

  public long u32At(long off) throws CorruptBinaryException {
    check(off, 4);
    return buf.getInt((int) off) & 0xffffffffL;
  }

  public int i32At(long off) throws CorruptBinaryException {
    check(off, 4);
    return buf.getInt((int) off);
  }

  public long u64At(long off) throws CorruptBinaryException {
    check(off, 8);
    return buf.getLong((int) off);
  }

  public long wordAt(long off, int size) throws CorruptBinaryException {
    return switch (size) {
      case 4 -> u32At(off);
      case 8 -> u64At(off);
      default -> throw new IllegalArgumentException("word size " + size);
    };
  }

  public byte[] bytesAt(long off, long n) throws CorruptBinaryException {
    if (n > MAX_ALLOCATION) {
      throw corrupt(off, "length " + n + " exceeds the allocation limit");
    }
    check(off, n);
    byte[] b = new byte[(int) n];
    buf.get((int) off, b);
    return b;
  }

  /** Copies {@code n} bytes at {@code off} into {@code dst} from {@code dstOff}. */
  public void copyTo(long off, byte[] dst, int dstOff, int n) throws CorruptBinaryException {
    check(off, n);
    buf.get((int) off, dst, dstOff, n);
  }

  /** A NUL-terminated UTF-8 string starting at {@code off}. */
  public String cstringAt(long off) throws CorruptBinaryException {
    check(off, 0);
    int end = indexOfNul((int) off);
    byte[] b = new byte[end - (int) off];
    buf.get((int) off, b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** {@code n} bytes at {@code off} as UTF-8 text. */
  public String stringAt(long off, long n) throws CorruptBinaryException {
    return new String(bytesAt(off, n), StandardCharsets.UTF_8);
  }

  /** A read-only view of {@code [off, off+n)} without copying. */
  public ByteBuffer bufferAt(long off, long n) throws CorruptBinaryException {
    check(off, n);
    return buf.slice((int) off, (int) n).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
  }

  // ---- checks

  /** Throws unless {@code [off, off+n)} lies inside this region. */
  public void check(long off, long n) throws CorruptBinaryException {
    if (off < 0 || n < 0 || off > buf.limit() || n > buf.limit() - off) {
      throw corrupt(off, n == 0
          ? "offset outside " + region + " (size " + buf.limit() + ")"
          : "truncated: need " + n + " bytes, " + Math.max(0, buf.limit() - Math.max(off, 0)) + " available");
    }
  }

  /** Whether {@code [off, off+n)} lies inside this region. */
  public boolean contains(long off, long n) {
    return off >= 0 && n >= 0 && off <= buf.limit() && n <= buf.limit() - off;
  }

  /** A corruption error at {@code off} of this region. */
  public CorruptBinaryException corrupt(long off, String what) {
    return new CorruptBinaryException(file, region, base + Math.max(off, 0), what);
  }

  /**
   * Checks a count read from a header against the bytes that would hold its elements: it must be
   * non-negative, and {@code n * elementSize} must fit in this region.
   */
  public int count(long n, long elementSize, String what) throws CorruptBinaryException {
    if (n < 0 || elementSize <= 0 || n > MAX_ALLOCATION || n * elementSize > buf.limit()) {
      throw corrupt(pos, what + " count " + n + " is larger than " + region);
    }
    return (int) n;
  }

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** The first NUL at or after {@code from}, eight bytes at a time (a word has a zero byte iff (w - 1s) & ~w & 0x80s). */
  private int indexOfNul(int from) throws CorruptBinaryException {
    int limit = buf.limit();
    int i = from;
    while (i + 8 <= limit) {
      long w = buf.getLong(i);
      if (((w - ONES) & ~w & HIGHS) != 0) {
        break;
      }
      i += 8;
    }
    for (; i < limit; i++) {
      if (buf.get(i) == 0) {
        return i;
      }
    }
    throw corrupt(from, "unterminated string");
  }
}
