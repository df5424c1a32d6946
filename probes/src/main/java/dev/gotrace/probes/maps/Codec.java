package dev.gotrace.probes.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Converts between a Java value and a map key or value of a fixed size (native byte order). */
public interface Codec<T> {
  int size();

  byte[] encode(T value);

  T decode(byte[] bytes);

  /** A u32 as an int. */
  Codec<Integer> U32 = new Codec<>() {
    public int size() {
      return 4;
    }

    public byte[] encode(Integer v) {
      return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    public Integer decode(byte[] b) {
      return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt();
    }
  };

  /** A u64 as a long. */
  Codec<Long> U64 = new Codec<>() {
    public int size() {
      return 8;
    }

    public byte[] encode(Long v) {
      return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    public Long decode(byte[] b) {
      return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong();
    }
  };

  /** Raw bytes of length {@code n}. */
  static Codec<byte[]> bytes(int n) {
    return new Codec<>() {
      public int size() {
        return n;
      }

      public byte[] encode(byte[] v) {
        if (v.length != n) {
          throw new IllegalArgumentException("expected " + n + " bytes, got " + v.length);
        }
        return v.clone();
      }

      public byte[] decode(byte[] b) {
        return b.clone();
      }
    };
  }
}
