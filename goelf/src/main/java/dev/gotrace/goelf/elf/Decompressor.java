package dev.gotrace.goelf.elf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.UnsupportedGoException;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompression of ELF sections: SHF_COMPRESSED with an Elf32/64_Chdr header (gABI; only
 * ELFCOMPRESS_ZLIB = 1 is read), and the legacy GNU {@code .zdebug_*} form ("ZLIB" followed by
 * the 8-byte big-endian uncompressed size). The declared size is capped at
 * {@link #MAX_DECOMPRESSED} and must match what zlib produces.
 */
final class Decompressor {
  /** Largest decompressed section accepted. */
  static final long MAX_DECOMPRESSED = 512L << 20;
  private static final int ELFCOMPRESS_ZLIB = 1;
  private static final int ELFCOMPRESS_ZSTD = 2;

  private Decompressor() {}

  static ByteCursor elfCompressed(ByteCursor raw, boolean is64) throws GoBinaryException {
    long type = raw.u32At(0);
    long size = is64 ? raw.u64At(8) : raw.u32At(4);
    int header = is64 ? 24 : 12;
    if (type == ELFCOMPRESS_ZSTD) {
      throw new UnsupportedGoException(raw.file(), raw.region() + " is compressed with zstd, which gotrace does not read (only zlib)");
    }
    if (type != ELFCOMPRESS_ZLIB) {
      throw raw.corrupt(0, "unknown compression type " + type);
    }
    return inflate(raw, header, size);
  }

  static ByteCursor legacyZlib(ByteCursor raw) throws CorruptBinaryException {
    if (raw.size() < 12 || raw.u32At(0) != 0x42494c5aL) { // "ZLIB" little-endian
      return raw; // not compressed after all; GNU tools treat it the same way
    }
    long size = 0;
    for (int i = 4; i < 12; i++) {
      size = (size << 8) | raw.u8At(i);
    }
    return inflate(raw, 12, size);
  }

  private static ByteCursor inflate(ByteCursor raw, int header, long size) throws CorruptBinaryException {
    if (size < 0 || size > MAX_DECOMPRESSED) {
      throw raw.corrupt(0, "decompressed size " + Long.toUnsignedString(size) + " exceeds the limit of " + MAX_DECOMPRESSED);
    }
    raw.check(header, 0);
    byte[] out = new byte[(int) size];
    Inflater inf = new Inflater();
    try {
      inf.setInput(raw.bufferAt(header, raw.size() - header));
      int n = 0;
      while (n < out.length) {
        int k = inf.inflate(out, n, out.length - n);
        if (k == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        n += k;
      }
      if (n != out.length) {
        throw raw.corrupt(header, "zlib data holds " + n + " bytes, header says " + size);
      }
    } catch (DataFormatException e) {
      throw raw.corrupt(header, "invalid zlib data: " + e.getMessage());
    } finally {
      inf.end();
    }
    return ByteCursor.of(out, raw.file(), raw.region(), 0);
  }
}
