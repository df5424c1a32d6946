package dev.gotrace.goelf.rtype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.testdata.TestBinary;
import java.nio.file.Files;

/**
 * Byte patches of a real binary's image at the places runtime.g's descriptor occupies, located
 * by reading the descriptor the way {@link TypeReader} does (Go 1.19+ format).
 */
final class Patches {
  private Patches() {}

  static byte[] image(TestBinary t) throws Exception {
    return Files.readAllBytes(t.path());
  }

  /** The file offset of the first byte of the text of runtime.g's own name ("*runtime.g"). */
  static int typeNameText(GoBinary b, long descriptor) throws Exception {
    TypeFormat f = format(b);
    ElfFile elf = b.elf();
    long types = b.moduleData().orElseThrow().types();
    long name = types + elf.cursorAt(descriptor, f.typeSize(), "t").i32At(f.strAt());
    TypeReader r = new TypeReader(elf, new TypesRange(types, b.moduleData().orElseThrow().etypes()), f);
    assertEquals("*runtime.g", r.name(name, "t"));
    return fileOffset(b, name + 2); // flag byte, one-byte uvarint length
  }

  /** The address of the {@code i}-th StructField of runtime.g whose name is {@code field}. */
  static long field(GoBinary b, long descriptor, String field) throws Exception {
    TypeFormat f = format(b);
    ElfFile elf = b.elf();
    long types = b.moduleData().orElseThrow().types();
    TypeReader r = new TypeReader(elf, new TypesRange(types, b.moduleData().orElseThrow().etypes()), f);
    long data = elf.pointerAt(descriptor + f.fieldsAt());
    long len = elf.cursorAt(descriptor + f.fieldsAt() + f.ptrSize(), f.ptrSize(), "t").wordAt(0, f.ptrSize());
    for (int i = 0; i < len; i++) {
      long at = data + (long) i * f.fieldSize();
      if (r.name(elf.pointerAt(at), "t").equals(field)) {
        return at;
      }
    }
    throw new AssertionError("runtime.g has no field " + field);
  }

  /**
   * Moves field {@code from} and every field after it {@code delta} bytes later and grows g's
   * Size_ by as much: a descriptor consistent in itself that describes a different g.
   */
  static void shiftFieldsFrom(byte[] img, GoBinary b, long descriptor, String from, int delta) throws Exception {
    TypeFormat f = format(b);
    ElfFile elf = b.elf();
    int w = f.ptrSize();
    long first = field(b, descriptor, from);
    long data = elf.pointerAt(descriptor + f.fieldsAt());
    long len = elf.cursorAt(descriptor + f.fieldsAt() + w, w, "t").wordAt(0, w);
    for (long at = first; at < data + len * f.fieldSize(); at += f.fieldSize()) {
      int off = fieldOffsetWord(b, at);
      putWord(img, off, getWord(img, off, w) + delta, w);
    }
    int size = fileOffset(b, descriptor + f.sizeAt());
    putWord(img, size, getWord(img, size, w) + delta, w);
  }

  /** The file offset of the text of the name of the field at {@code fieldAddress}. */
  static int fieldNameText(GoBinary b, long fieldAddress) throws Exception {
    return fileOffset(b, b.elf().pointerAt(fieldAddress) + 2);
  }

  /** The file offset of the Offset word of the field at {@code fieldAddress}. */
  static int fieldOffsetWord(GoBinary b, long fieldAddress) throws Exception {
    return fileOffset(b, fieldAddress + 2L * format(b).ptrSize());
  }

  static int fileOffset(GoBinary b, long vaddr) {
    return Math.toIntExact(b.fileOffset(vaddr).orElseThrow());
  }

  private static TypeFormat format(GoBinary b) {
    TypeFormat f = TypeFormat.of(b.goVersion(), b.arch().ptrSize()).orElseThrow();
    assertTrue(f.varintNames() && !f.shiftedOffsets(), "patches assume the Go 1.19+ format");
    return f;
  }

  /** Stores the little-endian {@code w}-byte word {@code v}. */
  static void putWord(byte[] img, int off, long v, int w) {
    for (int i = 0; i < w; i++) {
      img[off + i] = (byte) (v >>> (8 * i));
    }
  }

  static long getWord(byte[] img, int off, int w) {
    long v = 0;
    for (int i = w - 1; i >= 0; i--) {
      v = v << 8 | (img[off + i] & 0xff);
    }
    return v;
  }

  /**
   * The file offset of the only occurrence of {@code pattern} inside function {@code name}'s code.
   */
  static int inFunction(GoBinary b, String name, int... pattern) throws Exception {
    var f = b.function(name).orElseThrow();
    byte[] code = b.readAt(f.entry(), (int) (f.end() - f.entry()));
    int found = -1;
    for (int i = 0; i + pattern.length <= code.length; i++) {
      boolean match = true;
      for (int j = 0; j < pattern.length && match; j++) {
        match = (code[i + j] & 0xff) == pattern[j];
      }
      if (match) {
        assertEquals(-1, found, "pattern twice in " + name);
        found = i;
      }
    }
    assertTrue(found >= 0, "pattern not in " + name);
    return fileOffset(b, f.entry() + found);
  }
}
