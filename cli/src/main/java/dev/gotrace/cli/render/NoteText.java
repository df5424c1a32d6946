package dev.gotrace.cli.render;

import dev.gotrace.core.plan.Note;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one place a {@link Note} becomes the sentence printed after {@code gotrace: note: }. Core
 * decides by a note's kind; the words are chosen here.
 */
public final class NoteText {
  private NoteText() {}

  /** Names a grouped line spells out before "and N more". */
  static final int NAMED = 3;

  /**
   * The sentences for {@code notes}, in order. Without {@code verbose}, the notes of one kind that
   * each name one function (inlined only, not timed, not decodable, ...) become one line with
   * their count and the first {@value #NAMED} names, where the first of them stood; with it, one
   * line per note.
   */
  public static List<String> lines(List<Note> notes, boolean verbose) {
    if (verbose) {
      return notes.stream().map(NoteText::of).toList();
    }
    Map<Object, List<Note>> groups = new LinkedHashMap<>();
    for (Note n : notes) {
      groups.computeIfAbsent(n instanceof Note.AboutFunction ? n.getClass() : new Object(), k -> new ArrayList<>()).add(n);
    }
    List<String> out = new ArrayList<>();
    for (List<Note> g : groups.values()) {
      out.add(g.size() == 1 ? of(g.get(0)) : grouped(g));
    }
    return out;
  }


  /** One line for several notes of one kind, each about one function: the count, what, the names. */
  private static String grouped(List<Note> g) {
    List<String> names = g.stream().map(n -> ((Note.AboutFunction) n).function()).toList();
    Note first = g.get(0);
    String what;
    if (first instanceof Note.InlinedOnly) {
      int copies = g.stream().mapToInt(n -> ((Note.InlinedOnly) n).copies()).sum();
      what = " matching functions exist only inlined (" + count(copies) + " copies) and are not traced";
    } else if (first instanceof Note.Undecodable) {
      what = " functions are not traced because their machine code did not decode";
    } else if (first instanceof Note.NotAnInstructionStart) {
      what = " functions are not traced because their probe address is not a valid instruction start in the file";
    } else if (first instanceof Note.NoReturnsShown) {
      what = " functions have no exit instruction found, their returns are not shown";
    } else if (first instanceof Note.ConditionalExit) {
      what = " functions are not timed because a conditional jump out of them may or may not return";
    } else if (first instanceof Note.BadExit) {
      what = " functions are not timed because an exit is not a valid instruction start in the file";
    } else if (first instanceof Note.NeverReturns) {
      what = " functions have no exit instruction (they never return), only their entries are counted,"
          + " as never exited or in flight";
    } else if (first instanceof Note.MaybeAbiInternal) {
      what = " functions are written in assembly in packages that may declare them ABIInternal, the raw words"
          + " of the argument registers are shown (if one is ABI0, its arguments are on the stack)";
    } else if (first instanceof Note.RawWordsCut) {
      what = " functions have more argument words than are shown";
    } else {
      throw new IllegalArgumentException("no grouped text for " + first);
    }
    return count(names.size()) + what + ": " + String.join(", ", names.subList(0, Math.min(NAMED, names.size())))
        + (names.size() > NAMED ? " and " + count(names.size() - NAMED) + " more (--verbose lists them)" : "");
  }

  private static String count(int n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String rawArguments(Note.NoDwarf n) {
    return "arguments are shown in hex, without names or types, "
        + n.registers().map(r -> "from the integer argument registers (" + r + "), one per argument word the"
            + " pclntab's argument info lists (a float argument would be in an X register, an array on the stack)")
            .orElse("as the words of the stack argument area, as many as the pclntab's args size (the arguments,"
                + " then room for the results)");
  }

  public static String of(Note note) {
    if (note instanceof Note.InlinedOnly n) {
      return n.function() + " is not traced: it exists only inlined (" + n.copies()
          + (n.copies() == 1 ? " copy)" : " copies)");
    }
    if (note instanceof Note.Undecodable n) {
      return n.function() + " is not traced: its machine code did not decode (" + n.reason() + ")";
    }
    if (note instanceof Note.NotAnInstructionStart n) {
      return n.function() + " is not traced: probe address " + hex(n.address())
          + " is not a valid instruction start in the file";
    }
    if (note instanceof Note.NoDwarfAtLines n) {
      return n.file() + " has no DWARF: source lines show no values (a line's parameters and locals are known"
          + " only from DWARF)";
    }
    if (note instanceof Note.NoDwarf n) {
      return n.file() + " has no DWARF: " + rawArguments(n);
    }
    if (note instanceof Note.UnreadableDwarf n) {
      return n.file() + "'s DWARF cannot be read (" + n.problem() + "): "
          + n.lost().map(NoteText::rawArguments).orElse("functions, lines and probe sites come from pclntab alone");
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
    if (note instanceof Note.EntryFilteredExits n) {
      return "--where '" + n.where() + "' is decided at the entry: the exit of a call it rejected finds no entry,"
          + " so exits without their entry are not counted as unmatched";
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
