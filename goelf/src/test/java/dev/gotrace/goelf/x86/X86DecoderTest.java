package dev.gotrace.goelf.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.InvalidInstructionException;
import dev.gotrace.testdata.TestBinaries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lengths of tricky encodings. Each row is one whole instruction; GNU objdump
 * ({@code objdump -D -b binary -m i386:x86-64 -M intel} or {@code -m i386}) decodes each row as
 * exactly one instruction of that length, printed as in the last column: {@link
 * #rowsAreWhatObjdumpPrints} checks that on every run.
 */
class X86DecoderTest {
  private static final HexFormat HEX = HexFormat.of();

  /** bits | bytes | flow | objdump -M intel's text of the one instruction the bytes are. */
  static final String ROWS = """
      64 | c3 | RET | ret
      64 | f3c3 | RET | repz ret
      64 | c20800 | RET | ret 0x8
      64 | 66b83412 | NEXT | mov ax,0x1234
      64 | 48b88877665544332211 | NEXT | movabs rax,0x1122334455667788
      64 | b878563412 | NEXT | mov eax,0x12345678
      64 | 66053412 | NEXT | add ax,0x1234
      64 | 6681c13412 | NEXT | add cx,0x1234
      64 | 4881c178563412 | NEXT | add rcx,0x12345678
      64 | 488b0510000000 | NEXT | mov rax,QWORD PTR [rip+0x10]
      64 | 8b042544332211 | NEXT | mov eax,DWORD PTR ds:0x11223344
      64 | 8b040544332211 | NEXT | mov eax,DWORD PTR [rax*1+0x11223344]
      64 | 428b04e500000000 | NEXT | mov eax,DWORD PTR [r12*8+0x0]
      64 | 660f3a0fc108 | NEXT | palignr xmm0,xmm1,0x8
      64 | 66480f3a22c001 | NEXT | pinsrq xmm0,rax,0x1
      64 | a18877665544332211 | NEXT | movabs eax,ds:0x1122334455667788
      64 | 67a144332211 | NEXT | addr32 mov eax,ds:0x11223344
      64 | 48a38877665544332211 | NEXT | movabs ds:0x1122334455667788,rax
      64 | c8100001 | NEXT | enter 0x10,0x1
      64 | f6c101 | NEXT | test cl,0x1
      64 | f7c178563412 | NEXT | test ecx,0x12345678
      64 | 66f7c13412 | NEXT | test cx,0x1234
      64 | f7d1 | NEXT | not ecx
      64 | f6d1 | NEXT | not cl
      64 | c5fd6f06 | NEXT | vmovdqa ymm0,YMMWORD PTR [rsi]
      64 | c4e37d39c101 | NEXT | vextracti128 xmm1,ymm0,0x1
      64 | c4e27d58c0 | NEXT | vpbroadcastd ymm0,xmm0
      64 | c5f877 | NEXT | vzeroupper
      64 | c5fd73d804 | NEXT | vpsrldq ymm0,ymm0,0x4
      64 | 62f17c481006 | NEXT | vmovups zmm0,ZMMWORD PTR [rsi]
      64 | 62f17c48104601 | NEXT | vmovups zmm0,ZMMWORD PTR [rsi+0x40]
      64 | 62f3754825c296 | NEXT | vpternlogd zmm0,zmm1,zmm2,0x96
      64 | 62f1fd4872c805 | NEXT | vprolq zmm0,zmm0,0x5
      64 | 0f38cbc1 | NEXT | sha256rnds2 xmm0,xmm1,xmm0
      64 | 660f38dcc1 | NEXT | aesenc xmm0,xmm1
      64 | 0f0b | UNDEFINED | ud2
      64 | e900000000 | JUMP | jmp 0x5
      64 | ebfe | JUMP | jmp 0x0
      64 | 0f8400000000 | CONDITIONAL | je 0x6
      64 | ffe0 | JUMP_INDIRECT | jmp rax
      64 | ff24c1 | JUMP_INDIRECT | jmp QWORD PTR [rcx+rax*8]
      64 | ff2500000000 | JUMP_INDIRECT | jmp QWORD PTR [rip+0x0]
      64 | 41ffe3 | JUMP_INDIRECT | jmp r11
      64 | e305 | CONDITIONAL | jrcxz 0x7
      64 | e205 | CONDITIONAL | loop 0x7
      64 | 64488b0c25f8ffffff | NEXT | mov rcx,QWORD PTR fs:0xfffffffffffffff8
      64 | 493b6610 | NEXT | cmp rsp,QWORD PTR [r14+0x10]
      64 | 4c8d6424f0 | NEXT | lea r12,[rsp-0x10]
      64 | f30f1efa | NEXT | endbr64
      64 | 660f1f440000 | NEXT | nop WORD PTR [rax+rax*1+0x0]
      64 | 662e0f1f840000000000 | NEXT | cs nop WORD PTR [rax+rax*1+0x0]
      64 | f0480fb10a | NEXT | lock cmpxchg QWORD PTR [rdx],rcx
      64 | c4e3fbf0c105 | NEXT | rorx rax,rcx,0x5
      64 | 0faee8 | NEXT | lfence
      64 | 660f73d804 | NEXT | psrldq xmm0,0x4
      64 | 0fc7f0 | NEXT | rdrand eax
      64 | c6f801 | NEXT | xabort 0x1
      64 | c7f800000000 | NEXT | xbegin 0x6
      64 | 4869c078563412 | NEXT | imul rax,rax,0x12345678
      64 | 6bc005 | NEXT | imul eax,eax,0x5
      64 | d9ee | NEXT | fldz
      64 | dd0424 | NEXT | fld QWORD PTR [rsp]
      64 | 0f38f006 | NEXT | movbe eax,DWORD PTR [rsi]
      64 | f20f38f1c1 | NEXT | crc32 eax,ecx
      64 | 40c3 | RET | rex ret
      64 | 480fc70e | NEXT | cmpxchg16b OWORD PTR [rsi]
      64 | c4c17a6f0424 | NEXT | vmovdqu xmm0,XMMWORD PTR [r12]
      64 | c4417a7f442408 | NEXT | vmovdqu XMMWORD PTR [r12+0x8],xmm8
      64 | c4e2792a00 | NEXT | vmovntdqa xmm0,XMMWORD PTR [rax]
      64 | 410f1f8000000000 | NEXT | nop DWORD PTR [r8+0x0]
      64 | f3480fb8c1 | NEXT | popcnt rax,rcx
      64 | 0fbae205 | NEXT | bt edx,0x5
      64 | 660fc4c005 | NEXT | pinsrw xmm0,eax,0x5
      64 | 0f05 | NEXT | syscall
      64 | cc | TRAP | int3
      64 | f4 | HALT | hlt
      32 | 40 | NEXT | inc eax
      32 | c406 | NEXT | les eax,FWORD PTR [esi]
      32 | c4e37d39c101 | NEXT | vextracti128 xmm1,ymm0,0x1
      32 | 6206 | NEXT | bound eax,QWORD PTR [esi]
      32 | 62f17c481006 | NEXT | vmovups zmm0,ZMMWORD PTR [esi]
      32 | a144332211 | NEXT | mov eax,ds:0x11223344
      32 | 67a12211 | NEXT | addr16 mov eax,ds:0x1122
      32 | 678b4608 | NEXT | mov eax,DWORD PTR [bp+0x8]
      32 | 678b063412 | NEXT | mov eax,DWORD PTR ds:0x1234
      32 | 658b0d00000000 | NEXT | mov ecx,DWORD PTR gs:0x0
      32 | 8b89fcffffff | NEXT | mov ecx,DWORD PTR [ecx-0x4]
      32 | 9a785634123412 | CALL_INDIRECT | call 0x1234:0x12345678
      32 | b878563412 | NEXT | mov eax,0x12345678
      32 | 66b83412 | NEXT | mov ax,0x1234
      32 | e800000000 | CALL | call 0x5
      32 | d40a | NEXT | aam 0xa
      32 | 82c001 | NEXT | add al,0x1
      32 | 61 | NEXT | popa
      32 | 48 | NEXT | dec eax
      32 | 3b6108 | NEXT | cmp esp,DWORD PTR [ecx+0x8]
      32 | 76fe | CONDITIONAL | jbe 0x0
      32 | 0f8600000000 | CONDITIONAL | jbe 0x6
      32 | ff2485c8000000 | JUMP_INDIRECT | jmp DWORD PTR [eax*4+0xc8]
      32 | c3 | RET | ret
      64 | c5f992c9 | NEXT | kmovb k1,ecx
      64 | c4e1fb92c8 | NEXT | kmovq k1,rax
      64 | c57893f9 | NEXT | kmovw r15d,k1
      64 | 62f37d4819ca01 | NEXT | vextractf32x4 xmm2,zmm1,0x1
      64 | 62f3fd48cec100 | NEXT | vgf2p8affineqb zmm0,zmm0,zmm1,0x0
      64 | 62f3fd48ce05b79c360000 | NEXT | vgf2p8affineqb zmm0,zmm0,ZMMWORD PTR [rip+0x369cb7],0x0
      64 | 62f1fd486f0e | NEXT | vmovdqa64 zmm1,ZMMWORD PTR [rsi]
      64 | 62f1fe486f5001 | NEXT | vmovdqu64 zmm2,ZMMWORD PTR [rax+0x40]
      64 | 62f1e548dbc9 | NEXT | vpandq zmm1,zmm3,zmm1
      64 | 62f3754844e811 | NEXT | vpclmulhqhqdq zmm5,zmm1,zmm0
      64 | 62f385481ec904 | NEXT | vpcmpnequq k1,zmm15,zmm1
      64 | 62f2fd498bc9 | NEXT | vpcompressq zmm1{k1},zmm1
      64 | 62f27d488dc4 | NEXT | vpermb zmm0,zmm0,zmm4
      64 | 62f27d4875cc | NEXT | vpermi2b zmm1,zmm0,zmm4
      64 | 62f27d4854d9 | NEXT | vpopcntb zmm3,zmm1
      64 | 62d3554825cb96 | NEXT | vpternlogd zmm1,zmm5,zmm11,0x96
      64 | 6251ad48efd2 | NEXT | vpxorq zmm10,zmm10,zmm10
      64 | 0f38c9ca | NEXT | sha1msg1 xmm1,xmm2
      64 | 0f38cacc | NEXT | sha1msg2 xmm1,xmm4
      64 | 0f38c8f2 | NEXT | sha1nexte xmm6,xmm2
      64 | 0f3accc500 | NEXT | sha1rnds4 xmm0,xmm5,0x0
      """;
  // The last block: forms that Go 1.26 and 1.27 emit and Go 1.24 did not (the AVX-512 of
  // internal/runtime/gc/scan and crypto, SHA-NI of crypto/sha1), taken from the matrix's
  // go1.26 and go1.27 amd64 servers.

  @ParameterizedTest(name = "{0}-bit {1} ({3})")
  @CsvSource(delimiter = '|', textBlock = ROWS)
  void decodesLengthAndFlow(int bits, String hex, Flow flow, String objdump)
      throws InvalidInstructionException {
    byte[] code = HEX.parseHex(hex);
    X86Instruction in = decoder(bits).decode(code, 0x1000);
    assertEquals(code.length, in.length(), objdump);
    assertEquals(flow, in.flow(), objdump);
  }

  @ParameterizedTest(name = "{0}-bit {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      64 | 06                   | PUSH ES is undefined in 64-bit mode
      64 | 27                   | DAA
      64 | 60                   | PUSHA
      64 | 9a785634123412       | far CALL with pointer
      64 | d6                   | SALC
      64 | 0f04                 | undefined 0F 04
      64 | 0f0f c0 9e           | 3DNow!
      64 | 0f3850c0             | undefined 0F 38 50
      64 | 0f3a00c000           | undefined 0F 3A 00
      64 | ffff                 | FF /7
      64 | fed0                 | FE /2
      64 | 8dc0                 | LEA with a register operand
      64 | 66e80000             | operand-size prefixed CALL (vendor-dependent length)
      64 | c4e07d39c101         | VEX map 0
      64 | 66c5f877             | VEX after 66
      64 | 62f178481006         | EVEX with bit 2 of P1 clear
      64 | 0fb8c1               | JMPE (0F B8 without F3)
      64 | 488b05100000         | truncated displacement
      64 | 66666666666666666666666666666690 | longer than 15 bytes
      32 | d6                   | SALC
      32 | c4c0                 | LES with a register operand
      """)
  void rejectsWhatItCannotDecodeExactly(int bits, String hex, String why) {
    byte[] code = HEX.parseHex(hex.replace(" ", ""));
    assertThrows(InvalidInstructionException.class, () -> decoder(bits).decode(code, 0x1000), why);
  }

  @ParameterizedTest(name = "{1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      64 | e9fbffffff     | 4a2800 | 4a2800
      64 | ebfe           | 4a2800 | 4a2800
      64 | 0f8700010000   | 4a2800 | 4a2906
      64 | 7710           | 4a2800 | 4a2812
      64 | e8f1ffffff     | 4a2800 | 4a27f6
      32 | e8fbffffff     | 8049000 | 8049000
      32 | e900000080     | fffffff0 | 7ffffff5
      """)
  void computesDirectTargets(int bits, String hex, String at, String target)
      throws InvalidInstructionException {
    X86Instruction in = decoder(bits).decode(HEX.parseHex(hex), Long.parseLong(at, 16));
    assertEquals(Long.parseLong(target, 16), in.target());
  }

  @Test
  void exposesOperandsForPatternMatching() throws InvalidInstructionException {
    // lea 0x44f6f(%rip),%rcx ; jmp *(%rcx,%rax,8) ; cmp 0x10(%r14),%r12 ; mov %fs:-8,%rcx
    X86Decoder d = decoder(64);
    ModRm lea = d.decode(HEX.parseHex("488d0d6f4f0400"), 0x4a27ea).modrm().orElseThrow();
    assertEquals(new ModRm(0, 1, 5, ModRm.RIP, ModRm.NONE, 1, 0x44f6f), lea);
    ModRm jmp = d.decode(HEX.parseHex("ff24c1"), 0).modrm().orElseThrow();
    assertEquals(new ModRm(0, 4, 4, 1, 0, 8, 0), jmp);
    ModRm cmp = d.decode(HEX.parseHex("4d3b6610"), 0).modrm().orElseThrow();
    assertEquals(12, cmp.reg());
    assertEquals(14, cmp.base());
    assertEquals(0x10, cmp.disp());
    X86Instruction tls = d.decode(HEX.parseHex("64488b0c25f8ffffff"), 0);
    assertEquals(-8, tls.modrm().orElseThrow().disp());
    assertEquals(ModRm.NONE, tls.modrm().orElseThrow().base());
    assertEquals(true, tls.has(X86Instruction.PREFIX_FS) && tls.rexW());
  }

  /** The oracle for the table: objdump decodes each row's bytes as one instruction, as written. */
  @Test
  void rowsAreWhatObjdumpPrints(@TempDir Path dir) throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/objdump"))) {
      if (TestBinaries.inCi()) {
        Assertions.fail("GNU objdump (binutils) is the oracle and must be installed in CI");
      }
      Assumptions.abort("skipped: /usr/bin/objdump (binutils) is not installed");
    }
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (String row : ROWS.strip().split("\n")) {
      String[] f = row.split("\\|");
      int bits = Integer.parseInt(f[0].trim());
      byte[] code = HEX.parseHex(f[1].trim());
      String want = f[3].trim();
      Path bin = dir.resolve("row" + checked++ + ".bin");
      Files.write(bin, code);
      Process p = new ProcessBuilder("/usr/bin/objdump", "-D", "-b", "binary", "-m",
          bits == 64 ? "i386:x86-64" : "i386", "-M", "intel", "--insn-width=16", bin.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      p.waitFor();
      List<String> insns = out.lines().filter(l -> l.matches("^ *[0-9a-f]+:\t.*")).toList();
      String got = insns.isEmpty() ? "(nothing)" : insns.get(0).split("\t", 3).length < 3 ? insns.get(0)
          : insns.get(0).split("\t", 3)[2].replaceAll(" *#.*$", "").trim().replaceAll("\\s+", " ");
      int length = insns.isEmpty() ? 0 : insns.get(0).split("\t")[1].trim().split(" ").length;
      if (insns.size() != 1 || length != code.length || !got.equals(want)) {
        wrong.add(row.trim() + " -> objdump: " + insns.size() + " instruction(s), " + length + " bytes, " + got);
      }
    }
    assertEquals(List.of(), wrong);
    assertEquals(true, checked > 100, "rows: " + checked);
  }

  private static X86Decoder decoder(int bits) {
    return new X86Decoder(bits == 64 ? X86Mode.BITS64 : X86Mode.BITS32);
  }
}
