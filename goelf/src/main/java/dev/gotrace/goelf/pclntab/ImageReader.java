package dev.gotrace.goelf.pclntab;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.io.ByteCursor;

/** Reads bytes of the loaded image by virtual address (funcdata such as the inline tree). */
@FunctionalInterface
public interface ImageReader {
  ByteCursor read(long vaddr, long n, String name) throws GoBinaryException;
}
