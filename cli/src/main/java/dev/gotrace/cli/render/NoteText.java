package dev.gotrace.cli.render;

import dev.gotrace.core.plan.Note;
import java.util.List;
import java.util.Locale;

/**
 * The one place a {@link Note} becomes the sentence printed after {@code gotrace: note: }. Core
 * decides by a note's kind; the words are chosen here.
 */
public final class NoteText {
  private NoteText() {}

  public static String of(Note note) {
    if (note instanceof Note.InlinedOnly n) {
      return n.function() + " is not traced: it exists only inlined (" + n.copies() + " copies)";
    }
    if (note instanceof Note.Undecodable n) {
      return n.function() + " is not traced: its machine code did not decode (" + n.reason() + ")";
    }
    if (note instanceof Note.NotAnInstructionStart n) {
      return n.function() + " is not traced: probe address " + hex(n.address())
          + " is not a valid instruction start in the file";
    }
    if (note instanceof Note.NoDwarf n) {
      return n.file() + " has no DWARF: arguments are shown in hex, without names or types, "
          + n.registers().map(r -> "from the integer argument registers (" + r + "), one per argument word the"
              + " pclntab's argument info lists (a float argument would be in an X register, an array on the stack)")
              .orElse("as the words of the stack argument area, as many as the pclntab's args size (the arguments,"
                  + " then room for the results)");
    }
    if (note instanceof Note.RawWordsCut n) {
      return n.function() + ": " + n.shown() + " of its " + n.words() + (n.more() ? " or more" : "")
          + " argument words are shown";
    }
    if (note instanceof Note.MaybeAbiInternal n) {
      return n.function() + " is written in assembly in a package that may declare it ABIInternal: "
          + "the raw words of the argument registers are shown; if it is ABI0, its arguments are on the stack";
    }
    if (note instanceof Note.Abi0Assembly n) {
      List<String> fs = n.functions();
      return String.join(", ", fs.subList(0, Math.min(3, fs.size())))
          + (fs.size() > 3 ? " and " + (fs.size() - 3) + " more" : "")
          + (fs.size() == 1 ? " is" : " are") + " written in assembly (ABI0, no DWARF parameters): "
          + "arguments are shown as the raw words of its stack argument area";
    }
    if (note instanceof Note.NoReturnsShown n) {
      return n.function() + ": no exit instruction found, its returns are not shown";
    }
    if (note instanceof Note.InlinedCopies n) {
      return n.probed() + " inlined " + (n.probed() == 1 ? "copy" : "copies")
          + " probed at their first instruction (calls only: an inlined copy has no return to probe); "
          + (n.located() == n.probed() ? "arguments from DWARF's locations there"
              : n.located() == 0 ? "arguments unavailable (no DWARF description of the copies)"
              : "arguments from DWARF's locations for " + n.located() + " of them")
          + (n.skipped() > 0 ? "; " + n.skipped() + " could not be probed" : "");
    }
    if (note instanceof Note.ConditionalExit n) {
      return n.function() + " is not timed: a conditional jump out of the function at " + hex(n.address())
          + " may or may not return";
    }
    if (note instanceof Note.BadExit n) {
      return n.function() + " is not timed: exit " + hex(n.address()) + " is not a valid instruction start in the file";
    }
    if (note instanceof Note.NeverReturns n) {
      return n.function() + " has no exit instruction (it never returns): only its entries are counted,"
          + " as never exited or in flight";
    }
    if (note instanceof Note.ExitBeforeResult n) {
      return n.function() + " leaves through a " + n.kind().name().toLowerCase(Locale.ROOT) + " at " + hex(n.address())
          + " where its result is not yet known; launches through it show no new id";
    }
    if (note instanceof Note.TableInsteadOfDwarf n) {
      return "the DWARF of " + n.function() + " does not place its parameters at the probe entry;"
          + " using gotrace's table checked against the code";
    }
    if (note instanceof Note.PerfEventFallback n) {
      return n.missing().message() + "; falling back to perf events";
    }
    throw new IllegalArgumentException("no text for " + note);
  }

  private static String hex(long address) {
    return "0x" + Long.toHexString(address);
  }
}
