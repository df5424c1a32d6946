package dev.gotrace.core.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.x86.X86Decoder;
import dev.gotrace.goelf.x86.X86Instruction;
import dev.gotrace.goelf.x86.X86Mode;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Symbolising walks of testdata's {@code look} without the kernel: the return addresses are
 * found by decoding the callers' machine code (the instruction after each CALL of
 * {@code main.leaf}), and the expected lines by grepping the program's source, so neither comes
 * from the pclntab the symboliser reads. Covers the stack ABI (Go 1.15) and the register ABI.
 */
class StackSymbolizerTest {
  /** The return address of the (only) call of {@code callee} in {@code caller}: the decoder's oracle. */
  static long returnAddress(GoBinary bin, String caller, String callee) throws Exception {
    GoFunc f = bin.function(caller).orElseThrow();
    long target = bin.function(callee).orElseThrow().entry();
    List<Long> found = new ArrayList<>();
    for (X86Instruction i : decode(bin, f)) {
      if (i.flow() == Flow.CALL && i.target() == target) {
        found.add(i.address() + i.length());
      }
    }
    assertEquals(1, found.size(), caller + " calls " + callee + " once");
    return found.get(0);
  }

  static List<X86Instruction> decode(GoBinary bin, GoFunc f) throws Exception {
    byte[] code = bin.readAt(f.entry(), (int) f.size());
    X86Decoder d = new X86Decoder(X86Mode.BITS64);
    List<X86Instruction> out = new ArrayList<>();
    for (int off = 0; off < code.length && (code[off] & 0xff) != 0xcc; ) {
      X86Instruction i = d.decode(code, off, code.length, f.entry() + off);
      out.add(i);
      off += i.length();
    }
    return out;
  }

  /** The 1-based line of main.go holding {@code text} (it must be unique). */
  static int line(TestBinary t, String text) throws Exception {
    List<String> lines = Files.readAllLines(TestBinaries.sourcesOf(t).resolve("main.go"));
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        assertEquals(-1, at, "'" + text + "' is on one line");
        at = i + 1;
      }
    }
    assertTrue(at > 0, "'" + text + "' is in main.go");
    return at;
  }

  private static String where(Frame f) {
    return f.function() + " " + f.file().substring(f.file().lastIndexOf('/') + 1) + ":" + f.line()
        + (f.inlined() ? " inlined" : "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24", "go1.27"})
  void aLeafReachedThroughAnInlinedWrapperShowsTheWrapperAtItsCallLine(String series) throws Exception {
    TestBinary t = TestBinaries.get(series, "amd64", "default", "look");
    try (GoBinary bin = GoBinary.open(t.path())) {
      StackSymbolizer s = new StackSymbolizer(bin);
      long probe = bin.tracedSites(bin.function("main.leaf").orElseThrow()).probeEntry().orElseThrow();
      long inC = returnAddress(bin, "main.chainC", "main.leaf");
      long inA = returnAddress(bin, "main.chainA", "main.leaf");
      long goexit = bin.function("runtime.goexit").orElseThrow().entry() + 1; // goroutines return here

      GoStack c = s.symbolize(new KernelStack(KernelStack.CHAIN, new long[] {probe, inC}), 0);
      assertEquals(List.of("main.leaf main.go:" + bin.sourcePos(probe).orElseThrow().line(),
          "main.wrap main.go:" + line(t, "return leaf() * 2") + " inlined",
          "main.chainC main.go:" + line(t, "sink += wrap()")), c.frames().stream().map(StackSymbolizerTest::where).toList());
      assertEquals(List.of(probe, inC, inC), c.frames().stream().map(Frame::pc).toList(), "link-time PCs");
      assertEquals(GoStack.End.NO_FRAME_POINTER, c.end(), "the chain ended before runtime.goexit");
      assertEquals("main.chainC", c.endDetail());

      long bias = 0x7f0000000000L; // a PIE load: runtime = link + bias
      GoStack a = s.symbolize(new KernelStack(KernelStack.CHAIN, new long[] {probe + bias, inA + bias, goexit + bias}), bias);
      assertEquals(List.of("main.leaf", "main.chainA"), a.frames().stream().map(Frame::function).toList());
      assertEquals(line(t, "sink += leaf()"), a.frames().get(1).line());
      assertEquals(GoStack.End.COMPLETE, a.end(), "runtime.goexit ends a goroutine's stack, not shown");

      assertEquals(GoStack.End.DEPTH, s.symbolize(new KernelStack(KernelStack.DEPTH, new long[] {probe, inA}), 0).end());
      GoStack lost = s.symbolize(new KernelStack(KernelStack.CHAIN, new long[] {probe, 0x10}), 0);
      assertEquals(GoStack.End.UNREADABLE, lost.end(), "a return address in no function");
      assertEquals(1, lost.frames().size());
      GoStack fault = s.symbolize(new KernelStack(KernelStack.UNREADABLE, new long[] {probe, inA}), 0);
      assertEquals(GoStack.End.UNREADABLE, fault.end());
      assertEquals("main.chainA", fault.endDetail());
      GoStack alone = s.symbolize(new KernelStack(KernelStack.UNPROVEN, new long[] {probe}), 0);
      assertEquals(GoStack.End.NO_FRAME_POINTER, alone.end());
      assertEquals("main.leaf", alone.endDetail());
      long more = bin.function("runtime.morestack").orElseThrow().entry() + 1;
      GoStack grow = s.symbolize(new KernelStack(KernelStack.CHAIN, new long[] {probe, more, inA}), 0);
      assertEquals(GoStack.End.MORESTACK, grow.end());
      assertEquals(List.of("main.leaf", "runtime.morestack"), grow.frames().stream().map(Frame::function).toList());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24", "go1.27"})
  void theCallersReturnAddressIsAtTheSpDeltaTheDecodedPrologueMakes(String series) throws Exception {
    TestBinary t = TestBinaries.get(series, "amd64", "default", "look");
    try (GoBinary bin = GoBinary.open(t.path())) {
      GoFunc chainC = bin.function("main.chainC").orElseThrow();
      assertEquals(new FrameStart.Proven(0), FrameStart.at(bin, chainC, bin.tracedSites(chainC).probeEntry().orElseThrow()),
          "after the stack check nothing is pushed yet");
      for (var exit : bin.tracedSites(chainC).exits()) {
        assertEquals(new FrameStart.Proven(0), FrameStart.at(bin, chainC, exit.address()), "at a RET");
      }
      // at the call: PUSHQ BP (Go 1.21+) and SUBQ $n, SP
      int frame = 0;
      for (X86Instruction i : decode(bin, chainC)) {
        if (i.opcode() == 0x55 && i.map() == X86Instruction.MAP_ONE_BYTE && frame == 0) {
          frame += 8;
        }
        if ((i.opcode() == 0x83 || i.opcode() == 0x81) && i.rexW() && i.modrm().orElseThrow().mod() == 3
            && i.modrm().get().reg() == 5 && i.modrm().get().rm() == 4) {
          frame += (int) i.immediate();
          break;
        }
      }
      assertTrue(frame > 0, "chainC has a frame");
      long call = returnAddress(bin, "main.chainC", "main.leaf") - 5; // CALL rel32
      assertEquals(new FrameStart.Proven(frame), FrameStart.at(bin, chainC, call));
    }
  }
}
