package dev.gotrace.core.goroutines;

import dev.gotrace.goelf.dwarf.Param;
import dev.gotrace.goelf.dwarf.Place;
import dev.gotrace.goelf.dwarf.Subprogram;
import dev.gotrace.goelf.version.GoVersion;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code runtime.newproc1}'s inputs are at its probe entry and where its result ({@code
 * *g}) is at its exits, on amd64.
 *
 * @param fn the {@code *funcval} whose first word is the PC the goroutine starts at
 * @param callerGp the creating goroutine's {@code *g}
 * @param callerPc the return address of the {@code go} statement's call of {@code newproc}
 * @param result the new goroutine's {@code *g}, at an exit
 * @param source where the input locations came from ("DWARF" or "table go1.N")
 */
public record NewprocLayout(Slot fn, Slot callerGp, Slot callerPc, Slot result, String source) {
  /** The oldest and newest Go minor the table covers. */
  public static final int OLDEST_MINOR = 15;
  public static final int NEWEST_MINOR = 24;

  private record Row(int fromMinor, int toMinor, NewprocLayout layout) {}

  /*
   * runtime/proc.go, read in the go1.15, go1.19, go1.22 and go1.24 sources:
   *   1.15: newproc1(fn *funcval, argp unsafe.Pointer, narg int32, callergp *g, callerpc uintptr) *g
   *         stack ABI: fn at 8(SP), argp 16, narg 24 (int32, padded to a word), callergp 32,
   *         callerpc 40, the result at 48.
   *   1.16, 1.17: the same signature (1.17 removed the argument frame only in 1.18); 1.17 passes
   *         it in registers: fn RAX, argp RBX, narg RCX, callergp RDI, callerpc RSI.
   *   1.18-1.20: newproc1(fn *funcval, callergp *g, callerpc uintptr) *g: RAX, RBX, RCX.
   *   1.21+: newproc1(fn *funcval, callergp *g, callerpc uintptr, parked bool,
   *         waitreason waitReason) *g: the first three unchanged.
   *   A register-ABI result of pointer type comes back in RAX.
   */
  private static final List<Row> ROWS = List.of(
      new Row(15, 16, new NewprocLayout(new Slot.Stack(8), new Slot.Stack(32), new Slot.Stack(40),
          new Slot.Stack(48), "table")),
      new Row(17, 17, new NewprocLayout(Slot.amd64("rax"), Slot.amd64("rdi"), Slot.amd64("rsi"),
          Slot.amd64("rax"), "table")),
      new Row(18, 24, new NewprocLayout(Slot.amd64("rax"), Slot.amd64("rbx"), Slot.amd64("rcx"),
          Slot.amd64("rax"), "table")));

  /** The table's layout for {@code version}; empty outside go1.15–go1.24 or when the minor is unknown. */
  public static Optional<NewprocLayout> forVersion(GoVersion version) {
    if (!version.minorKnown() || version.major() != 1) {
      return Optional.empty();
    }
    int minor = version.minor();
    return ROWS.stream().filter(r -> minor >= r.fromMinor && minor <= r.toMinor)
        .map(r -> r.layout.withSource("table go1." + minor)).findFirst();
  }

  /**
   * The inputs as DWARF describes them at {@code pc} (the probe entry), the result from {@code
   * table} (Go emits no location for results). Empty when a parameter is missing or its place is
   * not a register or a CFA offset.
   */
  public static Optional<NewprocLayout> fromDwarf(Subprogram newproc1, long pc, NewprocLayout table) {
    Optional<Slot> fn = slot(newproc1, "fn", pc);
    Optional<Slot> gp = slot(newproc1, "callergp", pc);
    Optional<Slot> callerPc = slot(newproc1, "callerpc", pc);
    if (fn.isEmpty() || gp.isEmpty() || callerPc.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new NewprocLayout(fn.get(), gp.get(), callerPc.get(), table.result(), "DWARF"));
  }

  private static Optional<Slot> slot(Subprogram s, String name, long pc) {
    Optional<Param> p = s.inputs().stream().filter(x -> x.name().equals(name)).findFirst();
    if (p.isEmpty()) {
      return Optional.empty();
    }
    Optional<Place> place = p.get().placeAt(pc);
    if (place.isEmpty()) {
      return Optional.empty();
    }
    if (place.get() instanceof Place.Register r) {
      return Slot.amd64Dwarf(r.dwarfRegister()).map(x -> x);
    }
    if (place.get() instanceof Place.CfaOffset c) {
      // The CFA is SP before the call: SP at entry + 8 (the return address).
      return Optional.of(new Slot.Stack(c.offset() + 8));
    }
    return Optional.empty();
  }

  NewprocLayout withSource(String s) {
    return new NewprocLayout(fn, callerGp, callerPc, result, s);
  }
}
