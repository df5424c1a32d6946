package dev.gotrace.core.query;

import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.abi.Piece;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.arch.Register;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What a probe of one function can see: its parameters at the entry, its results at a RET exit.
 *
 * @param function the Go name ("main.handler")
 * @param inputs the parameters in order, with their DWARF types and places (empty without DWARF)
 * @param results the results in order (empty without DWARF)
 * @param typed whether {@code inputs} and {@code results} come from DWARF; without, only
 *     positional typed roots ({@code arg1:int}) resolve, placed by {@code positional}
 * @param positional where the ABI puts arguments when only their position is known
 * @param globals the package variables a path may start at ({@code main.cfg.Mode})
 * @param site the probe's link-time address, which a PIE needs to read package variables (the
 *     load bias is the probe's run-time IP minus it); empty when not known
 */
public record Scope(String function, Arch arch, List<ParamLayout> inputs, List<ParamLayout> results, boolean typed,
    Positional positional, Globals globals, OptionalLong site) {
  public Scope {
    inputs = List.copyOf(inputs);
    results = List.copyOf(results);
  }

  /** A scope without package variables. */
  public Scope(String function, Arch arch, List<ParamLayout> inputs, List<ParamLayout> results, boolean typed,
      Positional positional) {
    this(function, arch, inputs, results, typed, positional, Globals.NONE, OptionalLong.empty());
  }

  /** This scope seeing {@code g}'s package variables from a probe at link address {@code at} (empty: unknown). */
  public Scope with(Globals g, OptionalLong at) {
    return new Scope(function, arch, inputs, results, typed, positional, g, at);
  }

  /** This scope at a probe at link address {@code at}. */
  public Scope at(long at) {
    return new Scope(function, arch, inputs, results, typed, positional, globals, OptionalLong.of(at));
  }

  /** A scope from DWARF's parameters. */
  public static Scope typed(String function, Arch arch, List<ParamLayout> inputs, List<ParamLayout> results) {
    return new Scope(function, arch, inputs, results, true, Positional.NONE);
  }

  /**
   * Where the ABI puts arguments by position, without DWARF.
   *
   * @param args for each leading input parameter the pclntab describes, its pieces (offsets within it)
   * @param stackStart when the pclntab does not describe the inputs but they are on the stack:
   *     arg0 starts at this SP offset at the entry (the sizes of later ones are unknown)
   * @param resultRegisters the registers ret0's words are in at a return, in order (register ABI)
   * @param limit why positions past these cannot be placed, for messages
   */
  public record Positional(List<List<Piece>> args, OptionalLong stackStart, List<Register> resultRegisters,
      String limit) {
    public static final Positional NONE = new Positional(List.of(), OptionalLong.empty(), List.of(), "");

    public Positional {
      args = args.stream().map(List::copyOf).toList();
      resultRegisters = List.copyOf(resultRegisters);
    }
  }

  /** The input or result named {@code name} (DWARF scopes). */
  public Optional<ParamLayout> named(String name) {
    return Stream.concat(inputs.stream(), results.stream()).filter(p -> p.name().equals(name))
        .findFirst();
  }
}
