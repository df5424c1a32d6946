package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.version.GoVersion;
import dev.gotrace.goelf.x86.X86Decoder;
import dev.gotrace.goelf.x86.X86Instruction;
import dev.gotrace.goelf.x86.X86Mode;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.NextGo;
import dev.gotrace.testdata.TestBinary;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The check of a table row against runtime.newproc.func1 refuses rows that do not fit the code,
 * and a binary whose version gotrace does not know works with DWARF, and is refused in one line
 * without it.
 */
class NewprocCodeTest {
  static NewprocLayout.Row row(int minor) {
    return NewprocLayout.row(GoVersion.of(1, minor, 0)).orElseThrow();
  }

  @Test
  void rowsOfOtherSignaturesDisagreeWithTheCode() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.get("go1.27", "amd64", "default", "server").path())) {
      assertEquals(Optional.empty(), NewprocCode.disagreement(b, row(27)));
      String three = NewprocCode.disagreement(b, row(19)).orElseThrow();
      assertEquals("runtime.newproc.func1 passes [rax, rbx, rcx, rdi, rsi] to runtime.newproc1 where the table has"
          + " [rax, rbx, rcx]", three);
      assertTrue(NewprocCode.disagreement(b, row(15)).orElseThrow().contains("stores its arguments at [](SP)"));
      // fn and callergp swapped: the same registers, loaded from the closure in the other order.
      NewprocLayout.Row r = row(27);
      NewprocLayout swapped = new NewprocLayout(r.layout().callerGp(), r.layout().fn(), r.layout().callerPc(),
          r.layout().result(), "test");
      assertEquals("runtime.newproc.func1 does not load fn, callergp and callerpc from its closure in that order",
          NewprocCode.disagreement(b, new NewprocLayout.Row(23, 27, swapped, r.arguments(), true)).orElseThrow());
      NewprocLayout rbxResult = new NewprocLayout(r.layout().fn(), r.layout().callerGp(), r.layout().callerPc(),
          ArgLocation.InRegister.of(Arch.AMD64, "rdx"), "test");
      assertTrue(NewprocCode.disagreement(b, new NewprocLayout.Row(23, 27, rbxResult, r.arguments(), true))
          .orElseThrow().contains("does not use rdx after the call"));
    }
    try (GoBinary b = GoBinary.open(TestBinaries.get("go1.19", "amd64", "stripped", "server").path())) {
      assertEquals(Optional.empty(), NewprocCode.disagreement(b, row(19)));
      assertTrue(NewprocCode.disagreement(b, row(27)).orElseThrow().contains("passes [rax, rbx, rcx] to"));
    }
    try (GoBinary b = GoBinary.open(TestBinaries.get("go1.15", "amd64", "stripped", "server").path())) {
      assertEquals(Optional.empty(), NewprocCode.disagreement(b, row(15)));
      assertTrue(NewprocCode.disagreement(b, row(27)).orElseThrow().endsWith("the table has [rax, rbx, rcx, rdi, rsi]"));
    }
  }

  /**
   * runtime.newproc.func1 of a Go 1.27 build patched in memory: a parameter moved from RSI to R8
   * (as a changed signature would), or an instruction this check cannot follow before the call;
   * both refuse the row.
   */
  @Test
  void changedOrUnknownCodeRefusesTheRow() throws Exception {
    TestBinary t = TestBinaries.get("go1.27", "amd64", "stripped", "server");
    byte[] image = Files.readAllBytes(t.path());
    int at;
    long insn;
    try (GoBinary b = GoBinary.of(image.clone(), t.path())) {
      long entry = b.function(NewprocCode.CLOSURE).orElseThrow().entry();
      byte[] code = b.readAt(entry, 0x40);
      // xor edi, edi; xor esi, esi; xchg ax, ax; call runtime.newproc1
      int i = indexOf(code, new byte[] {0x31, (byte) 0xff, 0x31, (byte) 0xf6, 0x66, (byte) 0x90, (byte) 0xe8});
      assertTrue(i > 0, "the call sequence of go1.27");
      at = (int) b.fileOffset(entry + i).getAsLong();
      insn = entry + i + 2;
    }
    byte[] r8 = image.clone();
    System.arraycopy(new byte[] {0x45, 0x31, (byte) 0xc0, (byte) 0x90}, 0, r8, at + 2, 4); // xor r8d, r8d; nop
    try (GoBinary b = GoBinary.of(r8, t.path())) {
      assertEquals("runtime.newproc.func1 passes [r8, rax, rbx, rcx, rdi] to runtime.newproc1 where the table has"
          + " [rax, rbx, rcx, rdi, rsi]", NewprocCode.disagreement(b, row(27)).orElseThrow());
      LaunchPlanException e = assertThrows(LaunchPlanException.class, () -> new LaunchPlanner(Arch.AMD64).plan(b));
      assertEquals(t.path() + " (go1.27.3) has no DWARF and its code does not match gotrace's table for"
          + " runtime.newproc1: runtime.newproc.func1 passes [r8, rax, rbx, rcx, rdi] to runtime.newproc1 where the"
          + " table has [rax, rbx, rcx, rdi, rsi]", e.getMessage());
    }
    byte[] mul = image.clone();
    System.arraycopy(new byte[] {(byte) 0xf7, (byte) 0xe6}, 0, mul, at + 2, 2); // mul esi: writes RDX:RAX
    try (GoBinary b = GoBinary.of(mul, t.path())) {
      assertEquals("gotrace cannot tell what the instruction at 0x" + Long.toHexString(insn)
          + " in runtime.newproc.func1 writes", NewprocCode.disagreement(b, row(27)).orElseThrow());
    }
  }

  @Test
  void effectsOfTheFormsTheCheckKnows() throws Exception {
    assertEquals(new NewprocCode.Effect(-1, Set.of(0), null, null), effect(0x48, 0x85, 0xc0)); // test rax, rax
    assertEquals(new NewprocCode.Effect(4, Set.of(4), new NewprocCode.Mem(4, -8, 8), null), effect(0x54)); // push rsp
    assertEquals(new NewprocCode.Effect(0, Set.of(2), null, new NewprocCode.Mem(2, 8, 8)),
        effect(0x48, 0x8b, 0x42, 0x08)); // mov rax, 8(rdx)
    assertEquals(new NewprocCode.Effect(7, Set.of(), null, null), effect(0x31, 0xff)); // xor edi, edi
    assertEquals(new NewprocCode.Effect(8, Set.of(), null, null), effect(0x41, 0xb8, 1, 0, 0, 0)); // mov r8d, 1
    assertEquals(new NewprocCode.Effect(0, Set.of(), null, null), effect(0xc6, 0xc4, 0x01)); // mov ah, 1: part of RAX
    assertEquals(Optional.empty(), NewprocCode.effect(decode(0x41, 0x90), new byte[] {0x41, (byte) 0x90}, 0));
    assertEquals(Optional.empty(), NewprocCode.effect(decode(0x0f, 0xa2), new byte[] {0x0f, (byte) 0xa2}, 0)); // cpuid
  }

  private static NewprocCode.Effect effect(int... bytes) throws Exception {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return NewprocCode.effect(new X86Decoder(X86Mode.BITS64).decode(b, 0), b, 0).orElseThrow();
  }

  private static X86Instruction decode(int... bytes) throws Exception {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return new X86Decoder(X86Mode.BITS64).decode(b, 0);
  }

  static int indexOf(byte[] hay, byte[] needle) {
    for (int i = 0; i + needle.length <= hay.length; i++) {
      if (java.util.Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  /** A Go 1.27 build whose build-info version reads go1.99 (same length): DWARF carries it. */
  @Test
  void anUnknownVersionWorksWithDwarf() throws Exception {
    TestBinary t = TestBinaries.get("go1.27", "amd64", "default", "server");
    try (GoBinary b = GoBinary.of(rewritten(t), t.path()); GoBinary real = GoBinary.open(t.path())) {
      assertEquals("go1.99.3", b.goVersion().raw());
      List<Note> notes = new ArrayList<>();
      NewprocLayout l = LaunchPlanner.layout(b, LaunchPlannerTest.probeEntry(b), notes);
      assertEquals("DWARF", l.source());
      assertEquals(LaunchPlanner.layout(real, LaunchPlannerTest.probeEntry(real), notes), l);
      assertTrue(notes.isEmpty(), notes.toString());
      LaunchPlan p = new LaunchPlanner(Arch.AMD64).plan(b);
      assertEquals(new LaunchPlanner(Arch.AMD64).plan(real).sites(), p.sites());
    }
  }

  @Test
  void anUnknownVersionWithoutDwarfIsRefusedInOneLine() throws Exception {
    for (String v : List.of("stripped", "distro")) {
      TestBinary t = TestBinaries.get("go1.27", "amd64", v, "server");
      try (GoBinary b = GoBinary.of(rewritten(t), t.path())) {
        LaunchPlanException e = assertThrows(LaunchPlanException.class,
            () -> new LaunchPlanner(Arch.AMD64).plan(b));
        assertEquals(LaunchPlanException.Kind.UNSUPPORTED, e.kind());
        assertEquals(t.path() + " has no DWARF and gotrace does not know the parameters of"
            + " runtime.newproc1 in go1.99.3 (known without DWARF: go1.15 to go1.27)", e.getMessage());
        assertEquals("trace a build with DWARF (one not linked with -s or -w)", e.hint());
        assertTrue(!e.getMessage().contains("\n") && !e.hint().contains("\n"));
      }
    }
  }

  /** The binary's bytes with its build-info version rewritten to go1.99 (see {@link NextGo}). */
  static byte[] rewritten(TestBinary t) throws Exception {
    return NextGo.image(t);
  }
}
