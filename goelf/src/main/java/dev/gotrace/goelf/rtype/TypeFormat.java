package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.version.GoVersion;
import java.util.Optional;

/**
 * The shape of a runtime type descriptor in one Go release and pointer size: where the fields of
 * {@code abi.Type} / {@code abi.StructType} lie, how names and field offsets are encoded. The
 * header is the same from Go 1.12 to 1.27 (the word Go 1.14 renamed from {@code alg} to
 * {@code equal} keeps its size).
 *
 * @param ptrSize 8 or 4
 * @param varintNames names carry a uvarint length (Go 1.17+) instead of a 2-byte big-endian one
 * @param shiftedOffsets a struct field's third word is {@code offset<<1 | embedded} (before Go 1.19)
 */
public record TypeFormat(int ptrSize, boolean varintNames, boolean shiftedOffsets) {
  /** abi.Kind of struct types; the kind byte's low 5 bits (higher bits were flags before Go 1.26). */
  public static final int KIND_STRUCT = 25;
  public static final int KIND_MASK = 0x1f;
  /** abi.TFlagExtraStar: the stored name starts with a '*' to drop. */
  public static final int TFLAG_EXTRA_STAR = 1 << 1;

  /**
   * The format of {@code version}; empty when the version is a range that straddles a format
   * change (Go 1.17 for names, Go 1.19 for field offsets), where the bytes alone cannot say.
   */
  public static Optional<TypeFormat> of(GoVersion version, int ptrSize) {
    if (version.major() != 1 || version.minor() < 0) {
      return Optional.empty();
    }
    int lo = version.minor();
    int hi = version.upToMinor();
    if (lo < 17 && hi >= 17 || lo < 19 && hi >= 19) {
      return Optional.empty();
    }
    return Optional.of(new TypeFormat(ptrSize, lo >= 17, lo < 19));
  }

  // abi.Type: Size_, PtrBytes (words), Hash u32, TFlag, Align_, FieldAlign_, Kind_ (bytes),
  // Equal, GCData (words), Str, PtrToThis (int32).
  int sizeAt() {
    return 0;
  }

  int hashAt() {
    return 2 * ptrSize;
  }

  int tflagAt() {
    return hashAt() + 4;
  }

  int kindAt() {
    return tflagAt() + 3;
  }

  int strAt() {
    return hashAt() + 8 + 2 * ptrSize;
  }

  /** Size of abi.Type: 48 bytes on 64-bit, 32 on 32-bit. */
  int typeSize() {
    return strAt() + 8;
  }

  /** StructType.Fields (slice data, len, cap) after the embedded Type and PkgPath Name. */
  int fieldsAt() {
    return typeSize() + ptrSize;
  }

  /** Size of one abi.StructField: Name, Typ, Offset. */
  int fieldSize() {
    return 3 * ptrSize;
  }
}
