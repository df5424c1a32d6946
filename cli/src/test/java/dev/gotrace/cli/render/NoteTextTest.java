package dev.gotrace.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.plan.Note;
import dev.gotrace.goelf.sites.ExitSite;
import dev.gotrace.probes.priv.Feature;
import dev.gotrace.probes.priv.FeatureStatus;
import dev.gotrace.probes.priv.KernelVersion;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every kind of {@link Note} reads word for word as the sentence the planners used to build
 * themselves (the expected texts are those sentences, with the same values filled in).
 */
class NoteTextTest {
  @Test
  void plannerNotes() {
    assertEquals("main.add is not traced: it exists only inlined (3 copies)",
        NoteText.of(new Note.InlinedOnly("main.add", 3)));
    assertEquals("main.add is not traced: it exists only inlined (1 copy)",
        NoteText.of(new Note.InlinedOnly("main.add", 1)));
    assertEquals("main.f is not traced: its machine code did not decode (bad opcode at 0x401002)",
        NoteText.of(new Note.Undecodable("main.f", "bad opcode at 0x401002")));
    assertEquals("main.f is not traced: probe address 0x401004 is not a valid instruction start in the file",
        NoteText.of(new Note.NotAnInstructionStart("main.f", 0x401004)));
  }

  @Test
  void argsNotes() {
    assertEquals("server has no DWARF: arguments are shown in hex, without names or types, from the integer"
        + " argument registers (RAX, RBX, RCX, RDI, RSI, R8-R11), one per argument word the pclntab's argument info"
        + " lists (a float argument would be in an X register, an array on the stack)",
        NoteText.of(new Note.NoDwarf("server", Optional.of("RAX, RBX, RCX, RDI, RSI, R8-R11"))));
    assertEquals("server has no DWARF: source lines show no values (a line's parameters and locals are known only"
        + " from DWARF)", NoteText.of(new Note.NoDwarfAtLines("server")));
    String stack = "arguments are shown in hex, without names or types, as the words of the stack argument area,"
        + " as many as the pclntab's args size (the arguments, then room for the results)";
    assertEquals("server has no DWARF: " + stack, NoteText.of(new Note.NoDwarf("server", Optional.empty())));
    String why = "decoding .debug_info at 0x663c95: invalid zlib data: invalid block type";
    assertEquals("server's DWARF cannot be read (" + why + "): functions, lines and probe sites come from pclntab"
        + " alone", NoteText.of(new Note.UnreadableDwarf("server", why, Optional.empty())));
    assertEquals("server's DWARF cannot be read (" + why + "): " + stack,
        NoteText.of(new Note.UnreadableDwarf("server", why, Optional.of(new Note.NoDwarf("server", Optional.empty())))));
    assertEquals("main.manyArgs: 9 of its 10 or more argument words are shown",
        NoteText.of(new Note.RawWordsCut("main.manyArgs", 9, 10, true)));
    assertEquals("main.manyArgs: 10 of its 13 argument words are shown",
        NoteText.of(new Note.RawWordsCut("main.manyArgs", 10, 13, false)));
    assertEquals("runtime.memmove is written in assembly in a package that may declare it ABIInternal: the raw"
        + " words of the argument registers are shown; if it is ABI0, its arguments are on the stack",
        NoteText.of(new Note.MaybeAbiInternal("runtime.memmove")));
    assertEquals("crypto/md5.block is written in assembly (ABI0, no DWARF parameters): arguments are shown as the"
        + " raw words of its stack argument area", NoteText.of(new Note.Abi0Assembly(List.of("crypto/md5.block"))));
    assertEquals("a, b, c and 2 more are written in assembly (ABI0, no DWARF parameters): arguments are shown as"
        + " the raw words of its stack argument area",
        NoteText.of(new Note.Abi0Assembly(List.of("a", "b", "c", "d", "e"))));
    assertEquals("main.loop: no exit instruction found, its returns are not shown",
        NoteText.of(new Note.NoReturnsShown("main.loop")));
    String probed = " probed at their first instruction (calls only: an inlined copy has no return to probe); ";
    assertEquals("1 inlined copy" + probed + "arguments from DWARF's locations there",
        NoteText.of(new Note.InlinedCopies(1, 1, 0)));
    assertEquals("4 inlined copies" + probed + "arguments unavailable (no DWARF description of the copies); 1 could"
        + " not be probed", NoteText.of(new Note.InlinedCopies(4, 0, 1)));
    assertEquals("4 inlined copies" + probed + "arguments from DWARF's locations for 2 of them",
        NoteText.of(new Note.InlinedCopies(4, 2, 0)));
  }

  @Test
  void latencyNotes() {
    assertEquals("main.f is not timed: a conditional jump out of the function at 0x401010 may or may not return",
        NoteText.of(new Note.ConditionalExit("main.f", 0x401010)));
    assertEquals("main.f is not timed: exit 0x401010 is not a valid instruction start in the file",
        NoteText.of(new Note.BadExit("main.f", 0x401010)));
    assertEquals("main.loop has no exit instruction (it never returns): only its entries are counted, as never"
        + " exited or in flight", NoteText.of(new Note.NeverReturns("main.loop")));
  }

  @Test
  void goroutineNotes() {
    assertEquals("runtime.newproc1 leaves through a tailcall at 0x43a0f0 where its result is not yet known;"
        + " launches through it show no new id",
        NoteText.of(new Note.ExitBeforeResult("runtime.newproc1", ExitSite.Kind.TAILCALL, 0x43a0f0)));
    assertEquals("the DWARF of runtime.newproc1 does not place its parameters at the probe entry; using gotrace's"
        + " table checked against the code", NoteText.of(new Note.TableInsteadOfDwarf("runtime.newproc1")));
  }

  @Test
  void attachNote() {
    assertEquals("uprobe_multi links not supported (requires Linux >= 6.6, running 6.1.0); falling back to perf"
        + " events", NoteText.of(new Note.PerfEventFallback(
            FeatureStatus.absent(Feature.UPROBE_MULTI, KernelVersion.parse("6.1.0"), ""))));
  }

  /**
   * Notes of one kind about many functions read as one line with the count and the first three
   * names, where the first of them stood; one note stays its own sentence; --verbose keeps them all.
   */
  @Test
  void manyNotesOfOneKindAreOneLine() {
    List<Note> notes = List.of(new Note.InlinedOnly("main.a", 1), new Note.NoDwarf("server", Optional.empty()),
        new Note.InlinedOnly("main.b", 2), new Note.NeverReturns("main.loop"), new Note.InlinedOnly("main.c", 1),
        new Note.InlinedOnly("main.d", 1), new Note.InlinedOnly("main.e", 3));
    assertEquals(List.of(
        "5 matching functions exist only inlined (8 copies) and are not traced: main.a, main.b, main.c and 2 more"
            + " (--verbose lists them)",
        NoteText.of(notes.get(1)),
        NoteText.of(notes.get(3))), NoteText.lines(notes, false));
    assertEquals(notes.stream().map(NoteText::of).toList(), NoteText.lines(notes, true));
    assertEquals(List.of("2 functions are not timed because a conditional jump out of them may or may not return:"
        + " main.f, main.g"), NoteText.lines(List.of(new Note.ConditionalExit("main.f", 1),
            new Note.ConditionalExit("main.g", 2)), false));
  }
}
