package dev.gotrace.core.plan;

import dev.gotrace.goelf.sites.ExitSite;
import dev.gotrace.probes.priv.FeatureStatus;
import java.util.List;
import java.util.Optional;

/**
 * Something the user should know that does not stop tracing, as a value: planners and the attach
 * step produce notes, later stages decide by their kind (never by their text), and only the CLI
 * turns them into sentences.
 */
public sealed interface Note {

  /**
   * A note about one {@code function} of many that may get the same one (not traced, not timed,
   * ...): the CLI may put many of one kind into one line.
   */
  sealed interface AboutFunction extends Note {
    String function();
  }

  // Planner: functions that match but get no entry probe.

  /** {@code function} matches but exists only inlined, in {@code copies} copies. */
  record InlinedOnly(String function, int copies) implements AboutFunction {}

  /** The machine code of {@code function} did not decode, for {@code reason}. */
  record Undecodable(String function, String reason) implements AboutFunction {}

  /** The entry probe address of {@code function} is not an instruction start in the file. */
  record NotAnInstructionStart(String function, long address) implements AboutFunction {}

  // ArgsPlanner: how arguments are shown.

  /**
   * {@code file} has no DWARF, so arguments are raw words: of the argument registers (named in
   * {@code registers}) with the register ABI, of the first stack slots (empty) without it.
   */
  record NoDwarf(String file, Optional<String> registers) implements Note {}

  /**
   * {@code file} has no DWARF and source lines are probed: a line shows no values (its
   * parameters and locals are known only from DWARF; mid-function, registers hold no arguments).
   */
  record NoDwarfAtLines(String file) implements Note {}

  /**
   * {@code file} has DWARF that cannot be read ({@code problem}), so it is treated as absent:
   * names, lines, sites and goroutine ids come from pclntab and the binary's code, as for a
   * stripped binary. {@code lost} is what that costs the arguments (args only; empty elsewhere).
   */
  record UnreadableDwarf(String file, String problem, Optional<NoDwarf> lost) implements Note {}

  /**
   * Without DWARF, {@code shown} raw words of {@code function}'s {@code words} argument words are
   * shown ({@code more}: the pclntab lists only the first {@code words}, there are more).
   */
  record RawWordsCut(String function, int shown, int words, boolean more) implements AboutFunction {}

  /** {@code function} is assembly in a package that may declare it ABIInternal: register words. */
  record MaybeAbiInternal(String function) implements AboutFunction {}

  /** ABI0 assembly {@code functions}: the words of their stack argument area. */
  record Abi0Assembly(List<String> functions) implements Note {
    public Abi0Assembly {
      functions = List.copyOf(functions);
    }
  }

  /** {@code function} has no exit instruction to probe: its returns are not shown. */
  record NoReturnsShown(String function) implements AboutFunction {}

  /**
   * Inlined copies probed at their first instruction: {@code probed} of them, {@code located}
   * with DWARF locations for their arguments, {@code skipped} that could not be probed.
   */
  record InlinedCopies(int probed, int located, int skipped) implements Note {}

  // LatencyPlanner: functions that are not timed.

  /** {@code function} leaves through a conditional jump at {@code address} that may or may not return. */
  record ConditionalExit(String function, long address) implements AboutFunction {}

  /** The exit of {@code function} at {@code address} is not an instruction start in the file. */
  record BadExit(String function, long address) implements AboutFunction {}

  /** {@code function} never returns: only its entries are counted. */
  record NeverReturns(String function) implements AboutFunction {}

  /**
   * {@code --where} rejects some calls at their entry, so their exits find no entry, as an exit
   * of a call begun before the probes were attached does: such exits are not counted as
   * unmatched.
   */
  record EntryFilteredExits(String where) implements Note {}

  // LaunchPlanner: runtime.newproc1.

  /** {@code function} (newproc1) leaves through a {@code kind} at {@code address} before its result is known. */
  record ExitBeforeResult(String function, ExitSite.Kind kind, long address) implements Note {}

  /** The DWARF of {@code function} (newproc1) does not place its parameters: the checked table is used. */
  record TableInsteadOfDwarf(String function) implements Note {}

  // Attach.

  /** Probes are attached one perf event per site because {@code missing} (uprobe_multi links) is absent. */
  record PerfEventFallback(FeatureStatus missing) implements Note {}
}
