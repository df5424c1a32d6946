package dev.gotrace.goelf.arm64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.InvalidInstructionException;
import dev.gotrace.testdata.TestBinaries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Classification of A64 words at address 0x1000; the disassembly column is what
 * {@code aarch64-linux-gnu-objdump -D -b binary -m aarch64 --adjust-vma=0x1000} prints for the
 * word, which {@link #rowsAreWhatObjdumpPrints} checks on every run.
 */
class Arm64DecoderTest {
  /** word | flow | direct target | objdump's text of the word at 0x1000. */
  static final String ROWS = """
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
      ce362354 | NEXT          | 0       | bcax v20.16b, v26.16b, v22.16b, v8.16b
      ce0f5159 | NEXT          | 0       | eor3 v25.16b, v10.16b, v15.16b, v20.16b
      ce7b8f3e | NEXT          | 0       | rax1 v30.2d, v25.2d, v27.2d
      ce9efc39 | NEXT          | 0       | xar v25.2d, v1.2d, v30.2d, #63
      d503379f | NEXT          | 0       | dsb nsh
      d5033fdf | NEXT          | 0       | isb
      1e624821 | NEXT          | 0       | fmax d1, d1, d2
      69400b61 | NEXT          | 0       | ldpsw x1, x2, [x27]
      b880f004 | NEXT          | 0       | ldursw x4, [x0, #15]
      aa2800e7 | NEXT          | 0       | orn x7, x7, x8
      9b2b7d08 | NEXT          | 0       | smull x8, w8, w11
      9ba77c87 | NEXT          | 0       | umull x7, w4, w7
      """;
  // The last block: forms that Go 1.26 and 1.27 emit and Go 1.24 did not (SHA-3 of crypto/sha3,
  // barriers, ...), taken from the matrix's go1.26 and go1.27 arm64 servers.

  @ParameterizedTest(name = "{0}: {3}")
  @CsvSource(delimiter = '|', textBlock = ROWS)
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

  /** The oracle for the table: objdump prints each row's word at 0x1000 as written. */
  @Test
  void rowsAreWhatObjdumpPrints(@TempDir Path dir) throws Exception {
    String objdump = "/usr/bin/aarch64-linux-gnu-objdump";
    if (!Files.isExecutable(Path.of(objdump))) {
      if (TestBinaries.inCi()) {
        Assertions.fail("no GNU objdump for aarch64; install binutils-aarch64-linux-gnu");
      }
      Assumptions.abort("skipped: no GNU objdump for aarch64; install binutils-aarch64-linux-gnu");
    }
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (String row : ROWS.strip().split("\n")) {
      String[] f = row.split("\\|");
      int word = (int) Long.parseLong(f[0].trim(), 16);
      byte[] le = {(byte) word, (byte) (word >> 8), (byte) (word >> 16), (byte) (word >> 24)};
      Path bin = dir.resolve("row" + checked++ + ".bin");
      Files.write(bin, le);
      Process p = new ProcessBuilder(objdump, "-D", "-b", "binary", "-m", "aarch64",
          "--adjust-vma=0x1000", bin.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      p.waitFor();
      List<String> insns = out.lines().filter(l -> l.matches("^ *1000:\t.*")).toList();
      String got = insns.size() != 1 ? insns.toString()
          : insns.get(0).split("\t", 3)[2].replaceAll(" *//.*$", "").trim().replaceAll("\\s+", " ");
      if (!got.equals(f[3].trim())) {
        wrong.add(row.trim() + " -> objdump: " + got);
      }
    }
    assertEquals(List.of(), wrong);
    assertEquals(true, checked > 20, "rows: " + checked);
  }

  @Test
  void literalLoadAddress() throws InvalidInstructionException {
    Arm64Instruction ldr = Arm64Decoder.decode(0x1800077b, 0x1000);
    assertEquals(0x10ec, ldr.literalAddress());
    assertEquals(true, ldr.isLiteralLoad());
  }

  @Test
  void rejectsTruncatedAndMisalignedWords() {
    assertThrows(InvalidInstructionException.class,
        () -> Arm64Decoder.decode(new byte[] {0, 0, 0}, 0, 0x1000));
    assertThrows(InvalidInstructionException.class,
        () -> Arm64Decoder.decode(new byte[] {0, 0, 0, 0}, 0, 0x1002));
  }
}
