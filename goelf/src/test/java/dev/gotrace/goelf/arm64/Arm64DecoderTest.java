package dev.gotrace.goelf.arm64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.InvalidInstructionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Classification of A64 words at address 0x1000; the disassembly column is what
 * {@code aarch64-linux-gnu-objdump -D -b binary -m aarch64 --adjust-vma=0x1000} (binutils 2.40)
 * prints for the word.
 */
class Arm64DecoderTest {
  @ParameterizedTest(name = "{0}: {3}")
  @CsvSource(delimiter = '|', textBlock = """
      d65f03c0 | RET           | 0       | ret
      d65f0020 | RET           | 0       | ret x1
      17fffe54 | JUMP          | 950     | b 0x950
      94013b71 | CALL          | 4fdc4   | bl 0x4fdc4
      d61f0360 | JUMP_INDIRECT | 0       | br x27
      d63f0020 | CALL_INDIRECT | 0       | blr x1
      5400014c | CONDITIONAL   | 1028    | b.gt 0x1028
      b6f80080 | CONDITIONAL   | 1010    | tbz x0, #63, 0x1010
      340000a8 | CONDITIONAL   | 1014    | cbz w8, 0x1014
      d4200000 | TRAP          | 0       | brk #0x0
      d4400000 | TRAP          | 0       | hlt #0x0
      00000000 | UNDEFINED     | 0       | udf #0
      1800077b | NEXT          | 0       | ldr w27, 0x10ec
      f9400b90 | NEXT          | 0       | ldr x16, [x28, #16]
      eb3b63f1 | NEXT          | 0       | subs x17, sp, x27
      """)
  void classifies(String word, Flow flow, String target, String objdump)
      throws InvalidInstructionException {
    Arm64Instruction in = Arm64Decoder.decode((int) Long.parseLong(word, 16), 0x1000);
    assertEquals(flow, in.flow(), objdump);
    assertEquals(Long.parseLong(target, 16), in.target(), objdump);
    assertEquals(4, in.length());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"02000000", "06000000", "00010440"})
  void rejectsUnallocatedEncodings(String word) {
    assertThrows(InvalidInstructionException.class,
        () -> Arm64Decoder.decode((int) Long.parseLong(word, 16), 0x1000));
  }

  @org.junit.jupiter.api.Test
  void literalLoadAddress() throws InvalidInstructionException {
    Arm64Instruction ldr = Arm64Decoder.decode(0x1800077b, 0x1000);
    assertEquals(0x10ec, ldr.literalAddress());
    assertEquals(true, ldr.isLiteralLoad());
  }

  @org.junit.jupiter.api.Test
  void rejectsTruncatedAndMisalignedWords() {
    assertThrows(InvalidInstructionException.class,
        () -> Arm64Decoder.decode(new byte[] {0, 0, 0}, 0, 0x1000));
    assertThrows(InvalidInstructionException.class,
        () -> Arm64Decoder.decode(new byte[] {0, 0, 0, 0}, 0, 0x1002));
  }
}
