package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.code.Instruction;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.goelf.version.GoVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runtime's own assembly where it touches the fields of g ({@link GWitness}: amd64 and
 * arm64), as a second witness of a layout read from g's type descriptor: {@code rt0_go}'s stores
 * of g0's stack.lo/hi, {@code mcall}'s saves of the caller's pc and sp into g.sched and its load
 * of g.m. A witness that is found and disagrees refuses the layout; one whose instruction shape
 * is not found only leaves a note (the descriptor is the proof, the code a cross-check).
 */
final class CodeChecks {
  record Result(Optional<String> disagreement, List<String> notes) {}

  private final Arch arch;
  private final GoVersion version;
  private final FunctionBytes.Source functions;

  CodeChecks(Arch arch, GoVersion version, FunctionBytes.Source functions) {
    this.arch = arch;
    this.version = version;
    this.functions = functions;
  }

  Result check(GLayout g, long gobufSp, long gobufPc) throws GoBinaryException {
    List<String> notes = new ArrayList<>();
    Optional<GWitness> witness = GWitness.of(arch, version);
    if (witness.isEmpty()) {
      notes.add("no code cross-check on " + arch.goArch());
      return new Result(Optional.empty(), notes);
    }
    Optional<long[]> stack = listing("runtime.rt0_go").flatMap(witness.get()::g0Stack);
    if (stack.isEmpty()) {
      notes.add("runtime.rt0_go: g0's stack stores not found, stack.lo/hi not cross-checked");
    } else if (stack.get()[0] != g.stackLo() || stack.get()[1] != g.stackHi()) {
      return disagree("runtime.rt0_go stores g0's stack.lo/hi at " + stack.get()[0] + "/" + stack.get()[1]
          + " but runtime.g's type descriptor puts them at " + g.stackLo() + "/" + g.stackHi());
    } else {
      notes.add("runtime.rt0_go confirms stack.lo/hi");
    }
    Optional<long[]> saved = listing("runtime.mcall").flatMap(witness.get()::mcall);
    if (saved.isEmpty()) {
      notes.add("runtime.mcall: its g.sched stores and g.m load not found (or g is in TLS), sched and m not cross-checked");
      return new Result(Optional.empty(), notes);
    }
    long pcAt = saved.get()[0];
    long spAt = saved.get()[1];
    long mAt = saved.get()[2];
    if (pcAt != g.sched() + gobufPc || spAt != g.sched() + gobufSp) {
      return disagree("runtime.mcall saves the caller's pc/sp at " + pcAt + "/" + spAt
          + " but runtime.g's type descriptor puts sched.pc/sp at " + (g.sched() + gobufPc) + "/" + (g.sched() + gobufSp));
    }
    if (mAt != g.m()) {
      return disagree("runtime.mcall loads g.m from offset " + mAt + " but runtime.g's type descriptor puts m at " + g.m());
    }
    notes.add("runtime.mcall confirms sched and m");
    return new Result(Optional.empty(), notes);
  }

  private static Result disagree(String what) {
    return new Result(Optional.of(what), List.of());
  }

  /** The decoded function; the pclntab names rt0_go without the .abi0 suffix of its symbol. */
  private Optional<List<Instruction>> listing(String name) throws GoBinaryException {
    Optional<FunctionBytes> f = functions.function(name);
    return f.isEmpty() ? Optional.empty() : Optional.of(Code.decode(arch, f.get().code(), f.get().entry()));
  }
}
