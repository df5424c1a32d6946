package dev.gotrace.core.query;

import dev.gotrace.core.abi.AbiChoice;
import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.ArgWords;
import dev.gotrace.core.abi.FunctionLayout;
import dev.gotrace.core.abi.GoAbi;
import dev.gotrace.core.abi.LinePlaces;
import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.abi.Piece;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.arch.Register;
import dev.gotrace.goelf.dwarf.GoDwarf;
import dev.gotrace.goelf.dwarf.Subprogram;
import dev.gotrace.goelf.lines.LineSite;
import dev.gotrace.goelf.pclntab.ArgInfo.Component;
import dev.gotrace.goelf.pclntab.ArgInfo;
import dev.gotrace.goelf.pclntab.GoFunc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Builds the {@link Scope} of a traced function: from DWARF when its unit describes the function
 * (the parameters and their places by {@link GoAbi}), else from the pclntab for positional typed
 * roots: in the register ABI the words {@link ArgWords} places (as {@code gotrace args} shows
 * them); in the stack ABI the argument info's offsets (Go 1.17+ on 386 and arm64), or only arg0
 * at the start of the argument area (Go before 1.17 lists no argument info, and the sizes of the
 * arguments are not in the binary).
 */
public final class Scopes {
  private Scopes() {}

  /** The scope of {@code f}, reading the DWARF unit of its entry. */
  public static Scope of(GoBinary bin, GoFunc f) throws GoBinaryException {
    return of(bin, f, bin.dwarfFor(List.of(f.entry())));
  }

  /** The scopes of {@code fs}, in order, reading the DWARF units of their entries once. */
  public static List<Scope> of(GoBinary bin, List<GoFunc> fs) throws GoBinaryException {
    Optional<GoDwarf> dwarf = bin.dwarfFor(fs.stream().map(GoFunc::entry).toList());
    List<Scope> out = new ArrayList<>(fs.size());
    for (GoFunc f : fs) {
      out.add(of(bin, f, dwarf));
    }
    return out;
  }

  /** The scope of {@code f} with {@code dwarf} as read for the traced functions (empty: none). */
  public static Scope of(GoBinary bin, GoFunc f, Optional<GoDwarf> dwarf) throws GoBinaryException {
    GoAbi abi = AbiChoice.of(bin);
    boolean assembly = ArgsPlanner.isAssembly(f);
    if (!assembly) {
      Optional<Subprogram> sp = dwarf.flatMap(d -> d.functionAt(f.entry())).filter(p -> p.lowPc() == f.entry());
      if (sp.isPresent()) {
        FunctionLayout l = abi.layout(sp.get());
        return Scope.typed(f.name(), bin.arch(), l.inputs(), l.results()).with(Globals.of(bin), OptionalLong.empty());
      }
    }
    return new Scope(f.name(), bin.arch(), List.of(), List.of(), false, positional(bin, f, abi, assembly))
        .with(Globals.of(bin), OptionalLong.empty());
  }

  /**
   * The scope of a probe at a source line ({@link dev.gotrace.core.plan.LinePlanner}): the
   * parameters and the locals live at its PC ({@link LinePlaces}), every stack place relative to
   * SP at that PC; {@code inputs} holds them all, {@code results} is empty. Without DWARF for the
   * line's function (or inlined copy), a scope with nothing in it: only package variables resolve.
   */
  public static Scope atLine(GoBinary bin, LineSite site, Optional<GoDwarf> dwarf) {
    Optional<List<ParamLayout>> values = dwarf.flatMap(d -> LinePlaces.at(bin.arch(), d, site));
    Scope s = values.isEmpty() ? new Scope(site.function(), bin.arch(), List.of(), List.of(), false, Scope.Positional.NONE)
        : Scope.typed(site.function(), bin.arch(), values.get(), List.of());
    return s.with(Globals.of(bin), OptionalLong.of(site.pc()));
  }

  /** {@link #atLine(GoBinary, LineSite, Optional)}, reading the DWARF unit of the line's PC. */
  public static Scope atLine(GoBinary bin, LineSite site) throws GoBinaryException {
    return atLine(bin, site, bin.dwarfFor(List.of(site.pc())));
  }

  private static Scope.Positional positional(GoBinary bin, GoFunc f, GoAbi abi, boolean assembly)
      throws GoBinaryException {
    int ptr = bin.arch().ptrSize();
    if (assembly && (!abi.usesRegisters() || !ArgsPlanner.mayUseAbiInternal(f.name()))) {
      return new Scope.Positional(List.of(), OptionalLong.of(ptr), List.of(),
          "assembly's argument sizes are not in the binary: only arg0 is placed");
    }
    if (assembly) {
      return new Scope.Positional(List.of(), OptionalLong.empty(), List.of(),
          "assembly that may use either ABI: its arguments cannot be placed");
    }
    Optional<ArgInfo> info = bin.argInfo(f);
    if (abi.usesRegisters()) {
      ArgWords w = ArgWords.registers(bin.arch(), info, f.name().contains("["));
      List<Register> regs = bin.arch().intArgRegisters();
      return new Scope.Positional(w.params(), OptionalLong.empty(), regs,
          "the pclntab places " + w.params().size() + (w.params().size() == 1 ? " argument" : " arguments")
              + " of " + f.name() + " in registers");
    }
    if (info.isPresent()) {
      // Stack ABI with argument info: the offsets are in the argument area, above the return address.
      ArgInfo a = info.get();
      List<List<Piece>> args = new ArrayList<>();
      for (int i = 0; i < a.argStarts().size(); i++) {
        List<Component> own = a.componentsOf(i);
        if (own.stream().anyMatch(c -> c.offset() < 0) || (a.truncated() && i == a.argStarts().size() - 1)) {
          break;
        }
        List<Piece> pieces = new ArrayList<>();
        for (Component c : own) {
          pieces.add(new Piece(c.offset() - own.get(0).offset(), c.size(),
              new ArgLocation.Stack(ptr + (long) c.offset())));
        }
        args.add(pieces);
      }
      return new Scope.Positional(args, OptionalLong.empty(), List.of(),
          "the pclntab places " + args.size() + (args.size() == 1 ? " argument" : " arguments") + " of " + f.name());
    }
    return new Scope.Positional(List.of(), OptionalLong.of(ptr), List.of(),
        "without DWARF the stack ABI (Go before 1.17) places only arg0: the sizes of arguments are not in the binary");
  }
}
