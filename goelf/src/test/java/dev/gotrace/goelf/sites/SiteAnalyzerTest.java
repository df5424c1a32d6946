package dev.gotrace.goelf.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.arch.Arch;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Exit sites and prologues of small functions whose bytes are copied from objdump listings. */
class SiteAnalyzerTest {
  private static final long ENTRY = 0x4a2800;

  private static FunctionSites analyze(Arch arch, MemoryReader memory, String... hex) {
    byte[] code = HexFormat.of().parseHex(String.join("", hex).replace(" ", ""));
    return new SiteAnalyzer(arch, memory)
        .analyze(new FunctionCode("f", ENTRY, ENTRY + code.length, code));
  }

  private static FunctionSites amd64(String... hex) {
    return analyze(Arch.AMD64, MemoryReader.none(), hex);
  }

  @Test
  void registerAbiPrologueAndReturn() {
    FunctionSites s = amd64(
        "49 3b 66 10", //         4a2800 cmp 0x10(%r14),%rsp
        "76 06", //               4a2804 jbe 4a280c
        "55", //                  4a2806 push %rbp
        "48 89 e5", //            4a2807 mov %rsp,%rbp
        "5d", //                  4a280a pop %rbp
        "c3", //                  4a280b ret
        "48 89 44 24 08", //      4a280c mov %rax,0x8(%rsp)
        "e8 00 10 00 00", //      4a2811 call morestack_noctxt
        "48 8b 44 24 08", //      4a2816 mov 0x8(%rsp),%rax
        "eb e3", //               4a281b jmp 4a2800
        "cc cc cc"); //           padding
    assertEquals(SiteStatus.OK, s.status());
    assertTrue(s.stackCheck());
    assertEquals(OptionalLong.of(0x4a2806), s.probeEntry());
    assertEquals(List.of(new ExitSite(0x4a280b, ExitSite.Kind.RET)), s.exits());
    assertEquals(OptionalLong.empty(), s.tlsGOffset());
    assertEquals(0x4a281d, s.boundaries().codeEnd());
    assertTrue(s.isInstructionBoundary(0x4a2811));
    assertFalse(s.isInstructionBoundary(0x4a2812));
    assertFalse(s.isInstructionBoundary(0x4a281d)); // padding
  }

  @Test
  void stackAbiPrologueRecordsTlsOffset() {
    FunctionSites s = amd64(
        "64 48 8b 0c 25 f8 ff ff ff", // 4a2800 mov %fs:0xfffffffffffffff8,%rcx
        "48 3b 61 10", //                4a2809 cmp 0x10(%rcx),%rsp
        "76 01", //                      4a280d jbe 4a2810
        "c3", //                         4a280f ret
        "e8 00 10 00 00", //             4a2810 call morestack
        "eb e9"); //                     4a2815 jmp 4a2800
    assertEquals(OptionalLong.of(0x4a280f), s.probeEntry());
    assertEquals(OptionalLong.of(-8), s.tlsGOffset());
  }

  @Test
  void pieTlsFormsRecordTlsOffset() {
    FunctionSites imm = amd64(
        "48 c7 c1 f8 ff ff ff", // 4a2800 mov $0xfffffffffffffff8,%rcx (Go 1.15 PIE)
        "64 48 8b 09", //          4a2807 mov %fs:(%rcx),%rcx
        "48 3b 61 10", //          4a280b cmp 0x10(%rcx),%rsp
        "76 01", //                4a280f jbe 4a2812
        "c3", //                   4a2811 ret
        "e8 00 10 00 00", //       4a2812 call morestack
        "eb e7"); //               4a2817 jmp 4a2800
    assertEquals(OptionalLong.of(0x4a2811), imm.probeEntry());
    assertEquals(OptionalLong.of(-8), imm.tlsGOffset());

    FunctionSites got = analyze(Arch.AMD64, words(Map.of(0x4a3807L, -16L)),
        "48 8b 0d 00 10 00 00", // 4a2800 mov 0x1000(%rip),%rcx  (GOT slot 4a3807: TPOFF)
        "64 48 8b 09", //          4a2807 mov %fs:(%rcx),%rcx
        "48 3b 61 10", //          4a280b cmp 0x10(%rcx),%rsp
        "76 01", //                4a280f jbe 4a2812
        "c3", //                   4a2811 ret
        "e8 00 10 00 00", //       4a2812 call morestack
        "eb e7"); //               4a2817 jmp 4a2800
    assertEquals(OptionalLong.of(-16), got.tlsGOffset());
  }

  @Test
  void nosplitFunctionProbesAtEntry() {
    FunctionSites s = amd64("48 39 c3", "7c 01", "c3", "48 89 d8", "c3");
    assertFalse(s.stackCheck());
    assertEquals(OptionalLong.of(ENTRY), s.probeEntry());
    assertEquals(2, s.exits().size());
  }

  @Test
  void tailCallLeavesTheFunction() {
    FunctionSites s = amd64("48 8b 44 24 08", "e9 00 01 00 00", "eb f4");
    assertEquals(List.of(new ExitSite(0x4a2805, ExitSite.Kind.TAILCALL)), s.exits());
  }

  @Test
  void conditionalBranchOutOfTheFunctionIsFlagged() {
    FunctionSites s = amd64("48 85 c0", "0f 84 00 10 00 00", "c3"); // test; je far away; ret
    assertEquals(List.of(new ExitSite(0x4a2803, ExitSite.Kind.CONDITIONAL_TAILCALL),
        new ExitSite(0x4a2809, ExitSite.Kind.RET)), s.exits());
  }

  @Test
  void jumpTableIsNotAnExit() {
    // cmp $0x2,%rax; ja 4a2813; lea 0x100(%rip),%rcx (-> 4a290d); jmp *(%rcx,%rax,8); 3x ret
    String[] code = {"48 83 f8 02", "77 0d", "48 8d 0d 00 01 00 00", "ff 24 c1", "c3", "c3",
        "c3", "31 c0", "c3"};
    Map<Long, Long> table = Map.of(0x4a290dL, 0x4a2810L, 0x4a2915L, 0x4a2811L, 0x4a291dL, 0x4a2812L);
    FunctionSites s = analyze(Arch.AMD64, words(table), code);
    assertEquals(1, s.jumpTables().size());
    assertEquals(List.of(0x4a2810L, 0x4a2811L, 0x4a2812L), s.jumpTables().get(0).targets());
    assertTrue(s.exits().stream().noneMatch(e -> e.kind() == ExitSite.Kind.INDIRECT));

    Map<Long, Long> outside = Map.of(0x4a290dL, 0x4a2810L, 0x4a2915L, 0x500000L, 0x4a291dL, 0x4a2812L);
    FunctionSites t = analyze(Arch.AMD64, words(outside), code);
    assertEquals(List.of(), t.jumpTables());
    assertTrue(t.exits().contains(new ExitSite(0x4a280d, ExitSite.Kind.INDIRECT)));

    FunctionSites u = analyze(Arch.AMD64, MemoryReader.none(), code); // table unreadable
    assertTrue(u.exits().contains(new ExitSite(0x4a280d, ExitSite.Kind.INDIRECT)));
  }

  @Test
  void maskedIndexBoundsAJumpTable() {
    // and $0x1,%edx; lea 0x100(%rip),%rcx (-> 4a290a); jmp *(%rcx,%rdx,8); ret; ret
    FunctionSites s = analyze(Arch.AMD64, words(Map.of(0x4a290aL, 0x4a280dL, 0x4a2912L, 0x4a280eL)),
        "83 e2 01", "48 8d 0d 00 01 00 00", "ff 24 d1", "c3", "c3");
    assertEquals(1, s.jumpTables().size());
    assertEquals(2, s.jumpTables().get(0).targets().size());
  }

  @Test
  void functionEndingInPanicHasNoExit() {
    FunctionSites s = amd64("e8 00 10 00 00", "90", "cc cc cc");
    assertEquals(SiteStatus.NO_EXIT, s.status());
    assertEquals(OptionalLong.of(ENTRY), s.probeEntry());
  }

  @Test
  void lastInstructionMayEndInCcBytes() {
    FunctionSites s = amd64("c3", "48 c7 c0 cc cc cc cc", "cc cc");
    assertEquals(ENTRY + 8, s.boundaries().codeEnd());
    assertEquals(2, s.boundaries().count());
  }

  @Test
  void undecodableBytesGiveNoSites() {
    FunctionSites s = amd64("48 89 c3", "06", "c3");
    assertEquals(SiteStatus.UNDECODABLE, s.status());
    assertTrue(s.reason().contains("0x4a2803"), s.reason());
    assertEquals(OptionalLong.empty(), s.probeEntry());
    assertEquals(List.of(), s.exits());
    assertFalse(s.isInstructionBoundary(ENTRY));
  }

  @Test
  void branchIntoAnInstructionMeansDataWasDecoded() {
    // jmp over 3 data bytes that decode as one 5-byte instruction swallowing the target
    FunctionSites s = amd64("eb 03", "b8 01 02", "03 04 c3");
    assertEquals(SiteStatus.UNDECODABLE, s.status());
  }

  @Test
  void i386PrologueRecordsTlsOffset() {
    FunctionSites s = analyze(Arch.I386, MemoryReader.none(),
        "65 8b 0d 00 00 00 00", // 4a2800 mov %gs:0x0,%ecx
        "8b 89 fc ff ff ff", //   4a2807 mov -0x4(%ecx),%ecx
        "3b 61 08", //            4a280d cmp 0x8(%ecx),%esp
        "76 01", //               4a2810 jbe 4a2813
        "c3", //                  4a2812 ret
        "e8 00 10 00 00", //      4a2813 call morestack
        "eb e6"); //              4a2818 jmp 4a2800
    assertEquals(OptionalLong.of(0x4a2812), s.probeEntry());
    assertEquals(OptionalLong.of(-4), s.tlsGOffset());
  }

  @Test
  void arm64PrologueLiteralPoolAndPadding() {
    FunctionSites s = analyze(Arch.ARM64, MemoryReader.none(),
        "90 0b 40 f9", // 4a2800 ldr x16, [x28, #16]
        "ff 63 30 eb", // 4a2804 cmp sp, x16
        "a9 00 00 54", // 4a2808 b.ls 4a281c
        "7b 00 00 18", // 4a280c ldr w27, 4a2818 (literal)
        "c0 03 5f d6", // 4a2810 ret
        "20 00 1f d6", // 4a2814 br x1
        "c0 03 5f d6", // 4a2818 literal word that looks like ret
        "e3 03 1e aa", // 4a281c mov x3, x30
        "00 04 00 94", // 4a2820 bl morestack
        "f7 ff ff 17", // 4a2824 b 4a2800
        "00 00 00 00"); // padding
    assertEquals(OptionalLong.of(0x4a280c), s.probeEntry());
    assertEquals(List.of(new ExitSite(0x4a2810, ExitSite.Kind.RET),
        new ExitSite(0x4a2814, ExitSite.Kind.INDIRECT)), s.exits());
    assertFalse(s.isInstructionBoundary(0x4a2818));
    assertEquals(0x4a2828, s.boundaries().codeEnd());
  }

  private static MemoryReader words(Map<Long, Long> words) {
    return new MemoryReader() {
      @Override
      public long readWord(long vaddr, int size) throws CorruptBinaryException {
        Long v = words.get(vaddr);
        if (v == null) {
          throw new CorruptBinaryException(null, "test", vaddr, "unmapped");
        }
        return v;
      }

      @Override
      public byte[] read(long vaddr, int n) throws CorruptBinaryException {
        throw new CorruptBinaryException(null, "test", vaddr, "unmapped");
      }
    };
  }
}
