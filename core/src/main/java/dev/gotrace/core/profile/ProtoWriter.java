package dev.gotrace.core.profile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers encoder, enough for pprof's {@code profile.proto}: varints, 64-bit
 * integers as varints (a negative int64 takes ten bytes, as protobuf says), length-delimited
 * strings and nested messages, and packed repeated integers. Field numbers and wire types per
 * the protobuf encoding guide: tag = field &lt;&lt; 3 | wire type (0 varint, 2 length-delimited).
 */
final class ProtoWriter {
  private static final int VARINT = 0, LEN = 2;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** An int64/uint64/bool field; a zero value is omitted, as proto3 does. */
  ProtoWriter int64(int field, long value) {
    if (value != 0) {
      tag(field, VARINT);
      varint(value);
    }
    return this;
  }

  /** A bool field (omitted when false). */
  ProtoWriter bool(int field, boolean value) {
    return int64(field, value ? 1 : 0);
  }

  /** A string field, written even when empty (repeated string tables need their "" entry). */
  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A nested message field. */
  ProtoWriter message(int field, ProtoWriter message) {
    return bytes(field, message.toByteArray());
  }

  /** A packed repeated int64/uint64 field (omitted when empty). */
  ProtoWriter packed(int field, long[] values) {
    if (values.length == 0) {
      return this;
    }
    ProtoWriter body = new ProtoWriter();
    for (long v : values) {
      body.varint(v);
    }
    return bytes(field, body.toByteArray());
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private ProtoWriter bytes(int field, byte[] b) {
    tag(field, LEN);
    varint(b.length);
    out.writeBytes(b);
    return this;
  }

  private void tag(int field, int wireType) {
    varint((long) field << 3 | wireType);
  }

  private void varint(long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }
}
