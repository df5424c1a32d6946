package dev.gotrace.core.query;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.abi.Piece;
import dev.gotrace.goelf.arch.Arch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A recorded call for tests: the pt_regs and user memory a probe would see, built by placing
 * each parameter's value bytes where its layout says (registers, or the stack at SP).
 */
final class Recorded {
  static final int PT_REGS = 21 * 8;
  static final long SP = 0x7fff_0000_1000L;
  static final int STACK = 512;

  final byte[] regs = new byte[PT_REGS];
  final byte[] stack = new byte[STACK];
  final UserMemory.Sparse memory = new UserMemory.Sparse();
  private boolean stackMapped;
  private long heap = 0xc000_0100_0000L;

  Recorded() {
    ByteBuffer.wrap(regs).order(ByteOrder.LITTLE_ENDIAN).putLong(Arch.AMD64.stackPointer().ptRegsOffset(), SP);
  }

  /** Places {@code value} (the parameter's in-memory bytes) where {@code p}'s pieces say. */
  Recorded put(ParamLayout p, byte[] value) {
    for (Piece x : p.pieces()) {
      byte[] part = Arrays.copyOfRange(value, (int) x.offset(), (int) x.offset() + x.size());
      if (x.where() instanceof ArgLocation.InRegister r) {
        byte[] word = new byte[8];
        System.arraycopy(part, 0, word, 0, part.length);
        System.arraycopy(word, 0, regs, r.register().ptRegsOffset(), 8);
      } else if (x.where() instanceof ArgLocation.Stack s) {
        System.arraycopy(part, 0, stack, (int) s.spOffset(), part.length);
      }
    }
    return this;
  }

  Recorded putLong(ParamLayout p, long v) {
    return put(p, le(v, (int) p.size()));
  }

  /** Places bytes in user memory, returning their address. */
  long alloc(byte[] bytes) {
    long at = heap;
    heap += (bytes.length + 64) / 16 * 16 + 4096;
    memory.put(at, bytes);
    return at;
  }

  /** A string header {ptr, len} for {@code s}, its bytes in memory. */
  byte[] string(String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long at = b.length == 0 ? 0 : alloc(b);
    return concat(le(at, 8), le(b.length, 8));
  }

  /** The memory as the probe sees it, the stack mapped once. */
  UserMemory memory() {
    if (!stackMapped) {
      memory.put(SP, stack);
      stackMapped = true;
    }
    return memory;
  }

  Evaluator evaluator(long captured) {
    return new Evaluator(Arch.AMD64, regs, memory(), captured);
  }

  static byte[] le(long v, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
