package dev.gotrace.goelf.pclntab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.CorruptBinaryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FUNCDATA_ArgInfo stream as cmd/compile/internal/ssagen.EmitArgInfo writes it. */
class ArgInfoTest {
  private static ArgInfo decode(int... b) throws Exception {
    return ArgInfo.decode(i -> {
      if (i >= b.length) {
        throw new CorruptBinaryException(Path.of("x"), "test", i, "past the end");
      }
      return b[i];
    }, Path.of("x"), 0x1000, "argument info of f");
  }

  @Test
  void componentsOfScalarsAndAggregatesInOrder() throws Exception {
    // f(a int, s string, b bool): a at 0; { s.ptr at 8, s.len at 16 }; b at 24
    ArgInfo a = decode(0, 8, 0xfe, 8, 8, 16, 8, 0xfd, 24, 1, 0xff);
    assertEquals(List.of(new ArgInfo.Component(0, 8), new ArgInfo.Component(8, 8), new ArgInfo.Component(16, 8),
        new ArgInfo.Component(24, 1)), a.components());
    assertFalse(a.truncated());
    assertEquals(List.of(0, 1, 3), a.argStarts());
    assertEquals(List.of(new ArgInfo.Component(8, 8), new ArgInfo.Component(16, 8)), a.componentsOf(1));
    assertEquals(List.of(new ArgInfo.Component(24, 1)), a.componentsOf(2));
  }

  @Test
  void cutListsAndLargeOffsets() throws Exception {
    ArgInfo a = decode(0, 8, 0xfb, 0xfc, 0xff);
    assertEquals(List.of(new ArgInfo.Component(0, 8), new ArgInfo.Component(-1, -1)), a.components());
    assertTrue(a.truncated());
  }

  @Test
  void damagedStreamsAreCorrupt() {
    assertThrows(CorruptBinaryException.class, () -> decode(0xfe, 0, 8, 0xff)); // unclosed aggregate
    assertThrows(CorruptBinaryException.class, () -> decode(0xfd, 0xff)); // closes what it did not open
    assertThrows(CorruptBinaryException.class, () -> decode(0, 8)); // no end
    assertThrows(CorruptBinaryException.class, () -> decode(new int[400])); // longer than the compiler writes
  }
}
