package dev.gotrace.core.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Encodings from the protobuf encoding guide (protobuf.dev/programming-guides/encoding). */
class ProtoWriterTest {
  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  @Test
  void varintFieldAsTheGuideEncodesOneFiftyInFieldOne() {
    assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().int64(1, 150).toByteArray());
  }

  @Test
  void aNegativeInt64TakesTenBytes() {
    assertArrayEquals(bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
        new ProtoWriter().int64(1, -1).toByteArray());
  }

  @Test
  void stringAndNestedMessageAreLengthDelimited() {
    assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'),
        new ProtoWriter().string(2, "testing").toByteArray());
    assertArrayEquals(bytes(0x1a, 0x03, 0x08, 0x96, 0x01),
        new ProtoWriter().message(3, new ProtoWriter().int64(1, 150)).toByteArray());
  }

  @Test
  void packedRepeatedAsTheGuideEncodesThreeTwoSeventyAndEightySixThousand() {
    assertArrayEquals(bytes(0x32, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05),
        new ProtoWriter().packed(6, new long[] {3, 270, 86942}).toByteArray());
  }

  @Test
  void zeroAndEmptyAreOmittedButAnEmptyStringIsWritten() {
    assertArrayEquals(bytes(), new ProtoWriter().int64(1, 0).bool(2, false).packed(3, new long[0]).toByteArray());
    assertArrayEquals(bytes(0x32, 0x00), new ProtoWriter().string(6, "").toByteArray());
  }
}
