package dev.gotrace.probes.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** An owned {@code mmap} of a descriptor, unmapped by {@link #close()}. */
public final class Mapping implements AutoCloseable {
  public static final int PROT_READ = 1;
  public static final int PROT_WRITE = 2;
  public static final int MAP_SHARED = 1;

  private final long length;
  private final boolean writable;
  private final String what;
  private Pointer address;

  private Mapping(Pointer address, long length, boolean writable, String what) {
    this.address = address;
    this.length = length;
    this.writable = writable;
    this.what = what;
  }

  /** Maps {@code length} bytes of {@code fd} at {@code offset}, shared, read-only or read-write. */
  public static Mapping map(Fd fd, long offset, long length, boolean writable, String what) {
    int prot = writable ? PROT_READ | PROT_WRITE : PROT_READ;
    try {
      Pointer p = Libc.C.mmap(null, length, prot, MAP_SHARED, fd.get(), offset);
      if (Pointer.nativeValue(p) == -1L) {
        throw new SyscallException("mmap", what, Errno.EINVAL.code(), "MAP_FAILED");
      }
      return new Mapping(p, length, writable, what);
    } catch (LastErrorException e) {
      throw new SyscallException("mmap", what, e.getErrorCode(), null);
    }
  }

  /**
   * A direct buffer in native byte order over the mapping; read-only unless the mapping was made
   * writable (a write to a PROT_READ page would kill the JVM).
   */
  public ByteBuffer buffer() {
    if (address == null) {
      throw new IllegalStateException(what + " is unmapped");
    }
    if (length > Integer.MAX_VALUE) {
      throw new IllegalStateException(what + " is larger than 2 GiB");
    }
    ByteBuffer b = address.getByteBuffer(0, length);
    if (!writable) {
      b = b.asReadOnlyBuffer();
    }
    return b.order(ByteOrder.nativeOrder());
  }

  public long length() {
    return length;
  }

  @Override
  public void close() {
    Pointer p = address;
    address = null;
    if (p != null) {
      try {
        Libc.C.munmap(p, length);
      } catch (LastErrorException e) {
        throw new SyscallException("munmap", what, e.getErrorCode(), null);
      }
    }
  }
}
