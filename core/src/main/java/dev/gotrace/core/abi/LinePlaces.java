package dev.gotrace.core.abi;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.dwarf.GoDwarf;
import dev.gotrace.goelf.dwarf.InlinedSubroutine;
import dev.gotrace.goelf.dwarf.Param;
import dev.gotrace.goelf.dwarf.Subprogram;
import dev.gotrace.goelf.lines.LineSite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The values a probe at a source line sees: the parameters of the function the line is in (the
 * inlined callee for an inlined copy) and its local variables in scope there, each placed where
 * DWARF locates it at the probe's PC ({@link DwarfPlaces}, stack slots relative to SP at that PC).
 * A parameter without a location there is kept, unlocated (shown as unavailable); a local without
 * one is not live there and is left out. Results are kept only where DWARF locates them (named
 * results; Go gives unnamed ones no location).
 */
public final class LinePlaces {
  private LinePlaces() {}

  /** The values at {@code site}, empty when DWARF does not describe its function or copy. */
  public static Optional<List<ParamLayout>> at(Arch arch, GoDwarf dwarf, LineSite site) {
    long pc = site.pc();
    List<Param> params;
    long owner;
    if (site.copy().isPresent()) {
      Optional<InlinedSubroutine> copy = dwarf.inlinedAt(site.copy().get().function(), pc);
      if (copy.isEmpty()) {
        return Optional.empty();
      }
      params = copy.get().params();
      owner = copy.get().dieOffset();
    } else {
      Optional<Subprogram> sp = dwarf.functionAt(pc).filter(p -> p.lowPc() == site.host().entry());
      if (sp.isEmpty()) {
        return Optional.empty();
      }
      params = sp.get().params();
      owner = sp.get().dieOffset();
    }
    List<Param> shown = new ArrayList<>();
    for (Param p : params) {
      if (!p.result() || p.placeAt(pc).isPresent()) {
        shown.add(p);
      }
    }
    int nparams = shown.size();
    for (Param l : dwarf.localsAt(owner, pc)) {
      if (l.placeAt(pc).isPresent() && shown.stream().noneMatch(p -> p.name().equals(l.name()))) {
        shown.add(l);
      }
    }
    List<ParamLayout> placed = DwarfPlaces.at(arch, shown, pc, site.spDelta());
    List<ParamLayout> out = new ArrayList<>(placed.subList(0, nparams));
    for (ParamLayout l : placed.subList(nparams, placed.size())) {
      if (l.located()) { // a location this reader cannot follow: not shown as a value
        out.add(l);
      }
    }
    return Optional.of(out);
  }
}
