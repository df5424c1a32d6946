package dev.gotrace.goelf.sites;

import dev.gotrace.goelf.CorruptBinaryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only loaded-image view of a little-endian ELF file: its PT_LOAD segments by virtual
 * address (ELF gABI program headers), standing in for the real ELF reader of {@code goelf}.
 */
final class ElfImage implements MemoryReader {
  private record Segment(long vaddr, long fileOffset, long fileSize, long memSize) {}

  private final Path path;
  private final ByteBuffer file;
  private final List<Segment> segments = new ArrayList<>();
  private final boolean is64;

  ElfImage(Path path) throws IOException {
    this.path = path;
    this.file = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
    this.is64 = file.get(4) == 2;
    long phoff = is64 ? file.getLong(0x20) : file.getInt(0x1c) & 0xffffffffL;
    int phentsize = file.getShort(is64 ? 0x36 : 0x2a) & 0xffff;
    int phnum = file.getShort(is64 ? 0x38 : 0x2c) & 0xffff;
    for (int i = 0; i < phnum; i++) {
      int p = (int) (phoff + (long) i * phentsize);
      if (file.getInt(p) != 1) { // PT_LOAD
        continue;
      }
      if (is64) {
        segments.add(new Segment(file.getLong(p + 0x10), file.getLong(p + 0x08),
            file.getLong(p + 0x20), file.getLong(p + 0x28)));
      } else {
        segments.add(new Segment(u32(p + 0x08), u32(p + 0x04), u32(p + 0x10), u32(p + 0x14)));
      }
    }
  }

  private long u32(int off) {
    return file.getInt(off) & 0xffffffffL;
  }

  @Override
  public long readWord(long vaddr, int size) throws CorruptBinaryException {
    byte[] b = read(vaddr, size);
    long v = 0;
    for (int i = size - 1; i >= 0; i--) {
      v = v << 8 | (b[i] & 0xff);
    }
    return v;
  }

  @Override
  public byte[] read(long vaddr, int n) throws CorruptBinaryException {
    for (Segment s : segments) {
      if (vaddr >= s.vaddr && n >= 0 && vaddr + n <= s.vaddr + s.memSize) {
        byte[] out = new byte[n];
        long inFile = Math.max(0, Math.min(n, s.vaddr + s.fileSize - vaddr));
        file.get((int) (s.fileOffset + vaddr - s.vaddr), out, 0, (int) inFile);
        return out;
      }
    }
    throw new CorruptBinaryException(path, "memory", vaddr, "unmapped address");
  }
}
