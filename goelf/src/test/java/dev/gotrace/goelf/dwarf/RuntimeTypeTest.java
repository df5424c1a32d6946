package dev.gotrace.goelf.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinary;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * DW_AT_go_runtime_type checked against the runtime's own type descriptors: at runtime.types +
 * offset the binary must hold an abi.Type (runtime._type before 1.21) whose size and kind
 * (internal/abi/type.go: Size_ at 0, Kind_ at 2 words + 7 bytes) match the DWARF type. The
 * address of runtime.types and the file layout come from readelf, not from this package.
 */
class RuntimeTypeTest {
  @TestFactory
  Stream<DynamicTest> runtimeTypeOffsetsLeadToMatchingDescriptors() {
    return GoBinariesDwarfTest.withDwarf("workload").stream()
        .map(b -> DynamicTest.dynamicTest(b.label(), () -> check(b)));
  }

  private static void check(TestBinary b) throws Exception {
    GoDwarf d = GoBinariesDwarfTest.dwarf(b);
    long typesAddr = symbol(b, "runtime.types");
    byte[] file = Files.readAllBytes(b.path());
    String sections = ObjcopySections.run(List.of("readelf", "-S", "-W", b.path().toString()));
    int word = Words.of(b);
    // Types converted to interfaces somewhere in the workload, hence with a runtime descriptor.
    for (String name : List.of("main.Point", "string", "int", "error", "float64")) {
      GoType t = d.typeNamed(name).orElseThrow(() -> new AssertionError(name));
      long off = runtimeOffsetOf(d, t);
      assertEquals(t, d.typeByRuntimeOffset(off).orElseThrow());
      long fileOff = fileOffset(sections, typesAddr + off);
      ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
      long size = word == 8 ? bb.getLong((int) fileOff) : bb.getInt((int) fileOff) & 0xffffffffL;
      int kind = file[(int) fileOff + 2 * word + 7] & 0x1f;
      assertEquals(t.size(), size, name + " size");
      assertEquals(t.goKind(), kind, name + " kind");
    }
    assertTrue(d.runtimeTypes().size() > 100, "runtime types: " + d.runtimeTypes().size());
    // func types without a descriptor carry offset 0, which the runtime reads as "no type"
    assertEquals(java.util.Optional.empty(), d.typeByRuntimeOffset(0));
  }

  private static long runtimeOffsetOf(GoDwarf d, GoType t) {
    return d.runtimeTypes().entrySet().stream().filter(e -> e.getValue().equals(t)).mapToLong(e -> e.getKey())
        .findFirst().orElseThrow(() -> new AssertionError("no runtime offset for " + t.name()));
  }

  private static long symbol(TestBinary b, String name) throws Exception {
    for (String line : ObjcopySections.run(List.of("readelf", "-s", "-W", b.path().toString())).split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 8 && f[7].equals(name)) {
        return Long.parseUnsignedLong(f[1], 16);
      }
    }
    throw new AssertionError(b + " has no symbol " + name);
  }

  /** File offset of a virtual address, from readelf's section table. */
  private static long fileOffset(String sections, long addr) {
    for (String line : sections.split("\n")) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
          "\\]\\s+(\\.\\S+)\\s+PROGBITS\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s+([0-9a-f]+)").matcher(line);
      if (m.find()) {
        long start = Long.parseUnsignedLong(m.group(2), 16);
        long size = Long.parseUnsignedLong(m.group(4), 16);
        if (start != 0 && addr >= start && addr < start + size) {
          return Long.parseUnsignedLong(m.group(3), 16) + (addr - start);
        }
      }
    }
    throw new AssertionError("address 0x" + Long.toHexString(addr) + " in no section");
  }
}
