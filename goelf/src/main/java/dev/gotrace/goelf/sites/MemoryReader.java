package dev.gotrace.goelf.sites;

import dev.gotrace.goelf.CorruptBinaryException;

/**
 * Reads the loaded image by virtual address (as mapped by the ELF program headers, before any
 * relocation a dynamic loader would apply). Used for jump tables and GOT slots.
 */
public interface MemoryReader {
  /** A little-endian unsigned word of {@code size} (4 or 8) bytes at {@code vaddr}. */
  long readWord(long vaddr, int size) throws CorruptBinaryException;

  /** {@code n} bytes at {@code vaddr}. */
  byte[] read(long vaddr, int n) throws CorruptBinaryException;

  /** A reader with nothing mapped: every read fails (no jump table is then recognised). */
  static MemoryReader none() {
    return new MemoryReader() {
      @Override
      public long readWord(long vaddr, int size) throws CorruptBinaryException {
        throw new CorruptBinaryException(null, "memory", vaddr, "no image to read");
      }

      @Override
      public byte[] read(long vaddr, int n) throws CorruptBinaryException {
        throw new CorruptBinaryException(null, "memory", vaddr, "no image to read");
      }
    };
  }
}
