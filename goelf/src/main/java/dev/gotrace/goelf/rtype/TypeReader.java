package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.io.ByteCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads runtime type descriptors ({@code abi.Type}, {@code abi.StructType}) and their names out
 * of the loaded image. Pointers go through {@link ElfFile#pointerAt}, so PIE binaries, whose
 * descriptors hold zeros filled in by RELATIVE relocations, read the same as executables.
 * Every bad read is a {@link CorruptBinaryException} naming the address.
 */
public final class TypeReader {
  /** More fields than any struct gotrace reads (runtime.g has about 60). */
  static final int MAX_FIELDS = 4096;
  /** Longer names than any Go identifier or type string gotrace looks for. */
  static final int MAX_NAME = 4096;

  private final ElfFile elf;
  private final TypesRange types;
  private final TypeFormat format;

  public TypeReader(ElfFile elf, TypesRange types, TypeFormat format) {
    this.elf = elf;
    this.types = types;
    this.format = format;
  }

  public TypesRange types() {
    return types;
  }

  /** The descriptor at {@code address}, with its fields when it is a struct. */
  public RuntimeType read(long address) throws GoBinaryException {
    int w = format.ptrSize();
    if (!types.contains(address, format.typeSize())) {
      throw corrupt(address, "not inside the module's types " + types);
    }
    ByteCursor c = elf.cursorAt(address, format.typeSize(), "runtime type");
    long size = c.wordAt(format.sizeAt(), w);
    int tflag = c.u8At(format.tflagAt());
    int kind = c.u8At(format.kindAt()) & TypeFormat.KIND_MASK;
    long str = c.i32At(format.strAt()); // abi.NameOff, from moduledata.types
    String name = name(types.types() + str, "type name");
    if ((tflag & TypeFormat.TFLAG_EXTRA_STAR) != 0) {
      if (!name.startsWith("*")) {
        throw corrupt(address, "the type name \"" + name + "\" lacks the '*' that TFlagExtraStar announces");
      }
      name = name.substring(1);
    }
    if (kind != TypeFormat.KIND_STRUCT) {
      return new RuntimeType(address, name, size, kind, List.of());
    }
    if (!types.contains(address, format.fieldsAt() + 3L * w)) {
      throw corrupt(address, "struct descriptor runs past the module's types " + types);
    }
    long data = elf.pointerAt(address + format.fieldsAt());
    long len = elf.cursorAt(address + format.fieldsAt() + w, w, "runtime type").wordAt(0, w);
    if (len < 0 || len > MAX_FIELDS) {
      throw corrupt(address, "struct with " + Long.toUnsignedString(len) + " fields");
    }
    List<RuntimeType.Field> fields = new ArrayList<>();
    for (int i = 0; i < len; i++) {
      long f = data + (long) i * format.fieldSize();
      String fname = name(elf.pointerAt(f), "field name");
      long typ = elf.pointerAt(f + w);
      long off = elf.cursorAt(f + 2L * w, w, "struct field").wordAt(0, w);
      fields.add(new RuntimeType.Field(fname, typ, format.shiftedOffsets() ? off >>> 1 : off));
    }
    return new RuntimeType(address, name, size, kind, List.copyOf(fields));
  }

  /** {@code Size_} of the descriptor at {@code address}. */
  public long sizeOf(long address) throws GoBinaryException {
    if (!types.contains(address, format.typeSize())) {
      throw corrupt(address, "not inside the module's types " + types);
    }
    return elf.cursorAt(address, format.ptrSize(), "runtime type").wordAt(format.sizeAt(), format.ptrSize());
  }

  /** An {@code abi.Name} at {@code address}: flag byte, length, bytes. */
  String name(long address, String what) throws GoBinaryException {
    if (address == 0) {
      throw corrupt(address, what + ": nil name");
    }
    elf.cursorAt(address, 1, what).u8At(0); // the flag byte
    int header;
    long len;
    if (format.varintNames()) {
      len = 0;
      int i = 0;
      while (true) {
        int b = elf.cursorAt(address + 1 + i, 1, what).u8At(0);
        len |= (long) (b & 0x7f) << (7 * i);
        i++;
        if ((b & 0x80) == 0) {
          break;
        }
        if (i >= 5) {
          throw corrupt(address, what + ": length varint too long");
        }
      }
      header = 1 + i;
    } else {
      ByteCursor l = elf.cursorAt(address + 1, 2, what);
      len = (l.u8At(0) << 8) | l.u8At(1);
      header = 3;
    }
    if (len > MAX_NAME) {
      throw corrupt(address, what + " of " + len + " bytes");
    }
    byte[] b = elf.cursorAt(address + header, len, what).bytesAt(0, len);
    return new String(b, StandardCharsets.UTF_8);
  }

  private CorruptBinaryException corrupt(long address, String what) {
    return new CorruptBinaryException(elf.path(), "runtime type", address, what);
  }
}
