package dev.gotrace.core.plan;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.DwarfPlaces;
import dev.gotrace.core.abi.FunctionLayout;
import dev.gotrace.core.abi.GoAbi;
import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.dwarf.Subprogram;
import dev.gotrace.goelf.version.GoVersion;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code runtime.newproc1}'s inputs are at its probe entry and where its result ({@code
 * *g}) is at its exits, on amd64: each a register ({@link ArgLocation.InRegister}) or the word at
 * {@code SP + n}, SP being the stack pointer at the function's entry, the same at every exit
 * instruction ({@link ArgLocation.Stack}).
 *
 * @param fn the {@code *funcval} whose first word is the PC the goroutine starts at
 * @param callerGp the creating goroutine's {@code *g}
 * @param callerPc the return address of the {@code go} statement's call of {@code newproc}
 * @param result the new goroutine's {@code *g}, at an exit
 * @param source where the input locations came from ("DWARF" or "table go1.N ...")
 */
public record NewprocLayout(ArgLocation fn, ArgLocation callerGp, ArgLocation callerPc, ArgLocation result,
    String source) {
  /** The oldest and newest Go minor the table covers. */
  public static final int OLDEST_MINOR = 15;
  public static final int NEWEST_MINOR = 27;

  /**
   * One row of the table: the layout, and every argument word {@code newproc1} is called with in
   * order (the three inputs among them), which {@link NewprocCode} checks against the code that
   * calls it.
   *
   * @param capturedInOrder whether {@code runtime.newproc.func1} loads fn, callergp and callerpc by
   *     value from its closure, in that order (Go 1.18+: {@code newproc1(fn, gp, pc, ...)} in the
   *     closure body; before, {@code fn} had its address taken and was captured by reference)
   */
  record Row(int fromMinor, int toMinor, NewprocLayout layout, List<ArgLocation> arguments, boolean capturedInOrder) {
    Row {
      arguments = List.copyOf(arguments);
    }

    boolean usesRegisters() {
      return layout.fn() instanceof ArgLocation.InRegister;
    }
  }

  /** The table is amd64's. */
  static final Arch ARCH = Arch.AMD64;
  private static final ArgLocation RAX = ArgLocation.InRegister.of(ARCH, "rax");
  private static final ArgLocation RBX = ArgLocation.InRegister.of(ARCH, "rbx");
  private static final ArgLocation RCX = ArgLocation.InRegister.of(ARCH, "rcx");
  private static final ArgLocation RDI = ArgLocation.InRegister.of(ARCH, "rdi");
  private static final ArgLocation RSI = ArgLocation.InRegister.of(ARCH, "rsi");

  /*
   * runtime/proc.go, read in the go1.15, go1.19, go1.22, go1.24, go1.25, go1.26 and go1.27 sources:
   *   1.15: newproc1(fn *funcval, argp unsafe.Pointer, narg int32, callergp *g, callerpc uintptr) *g
   *         stack ABI: fn at 8(SP), argp 16, narg 24 (int32, padded to a word), callergp 32,
   *         callerpc 40, the result at 48.
   *   1.16, 1.17: the same signature (1.17 removed the argument frame only in 1.18); 1.17 passes
   *         it in registers: fn RAX, argp RBX, narg RCX, callergp RDI, callerpc RSI.
   *   1.18-1.22: newproc1(fn *funcval, callergp *g, callerpc uintptr) *g: RAX, RBX, RCX
   *         (1.22: proc.go:4892).
   *   1.23-1.27: newproc1(fn *funcval, callergp *g, callerpc uintptr, parked bool,
   *         waitreason waitReason) *g (parked came with coroutines, runtime/coro.go, in 1.23):
   *         the first three unchanged, parked in RDI, waitreason (uint8) in RSI. newproc's
   *         closure calls newproc1(fn, gp, pc, false, waitReasonZero) in every one of them
   *         (1.24: proc.go:5038, 1.25: 5176, 1.26: 5313, 1.27: 5352).
   *   A register-ABI result of pointer type comes back in RAX (abi-internal.md).
   */
  static final List<Row> ROWS = List.of(
      new Row(15, 16, new NewprocLayout(stack(8), stack(32), stack(40), stack(48), "table"),
          List.of(stack(8), stack(16), stack(24), stack(32), stack(40)), false),
      new Row(17, 17, new NewprocLayout(RAX, RDI, RSI, RAX, "table"), List.of(RAX, RBX, RCX, RDI, RSI), false),
      new Row(18, 22, new NewprocLayout(RAX, RBX, RCX, RAX, "table"), List.of(RAX, RBX, RCX), true),
      new Row(23, 27, new NewprocLayout(RAX, RBX, RCX, RAX, "table"), List.of(RAX, RBX, RCX, RDI, RSI), true));

  /** The table's layout for {@code version}; empty outside go1.15–go1.27 or when the minor is unknown. */
  public static Optional<NewprocLayout> forVersion(GoVersion version) {
    return row(version).map(r -> r.layout().withSource("table go1." + version.minor()));
  }

  static Optional<Row> row(GoVersion version) {
    if (!version.minorKnown() || version.major() != 1) {
      return Optional.empty();
    }
    int minor = version.minor();
    return ROWS.stream().filter(r -> minor >= r.fromMinor && minor <= r.toMinor).findFirst();
  }

  /**
   * The inputs as DWARF describes them at {@code pc} (the probe entry); the result where {@code
   * abi} puts a function of newproc1's DWARF signature (Go emits no location for results), which
   * is trusted only when the same ABI puts the three inputs where DWARF says they are. Empty when a
   * parameter is missing, its place is not a register or a CFA offset, or the ABI disagrees.
   */
  public static Optional<NewprocLayout> fromDwarf(Subprogram newproc1, long pc, GoAbi abi) {
    Optional<ArgLocation> fn = slot(newproc1, "fn", pc);
    Optional<ArgLocation> gp = slot(newproc1, "callergp", pc);
    Optional<ArgLocation> callerPc = slot(newproc1, "callerpc", pc);
    if (fn.isEmpty() || gp.isEmpty() || callerPc.isEmpty()) {
      return Optional.empty();
    }
    FunctionLayout l = abi.layout(newproc1);
    if (l.results().size() != 1 || !abiSlot(l.inputs(), "fn").equals(fn)
        || !abiSlot(l.inputs(), "callergp").equals(gp) || !abiSlot(l.inputs(), "callerpc").equals(callerPc)) {
      return Optional.empty();
    }
    Optional<ArgLocation> result = word(l.results().get(0));
    return result.map(r -> new NewprocLayout(fn.get(), gp.get(), callerPc.get(), r, "DWARF"));
  }

  private static Optional<ArgLocation> abiSlot(List<ParamLayout> ps, String name) {
    return ps.stream().filter(p -> p.name().equals(name)).findFirst().flatMap(NewprocLayout::word);
  }

  /** A parameter of one word in one integer register or stack slot, as that location. */
  private static Optional<ArgLocation> word(ParamLayout p) {
    if (p.size() != ARCH.ptrSize() || p.pieces().size() != 1) {
      return Optional.empty();
    }
    ArgLocation where = p.pieces().get(0).where();
    return where instanceof ArgLocation.FloatRegister ? Optional.empty() : Optional.of(where);
  }

  /** Where DWARF puts input {@code name} at {@code pc}, the probe entry (SP is as at the entry). */
  private static Optional<ArgLocation> slot(Subprogram s, String name, long pc) {
    return s.inputs().stream().filter(x -> x.name().equals(name)).findFirst()
        .flatMap(p -> word(DwarfPlaces.at(ARCH, List.of(p), pc, 0).get(0)));
  }

  private static ArgLocation stack(long spOffset) {
    return new ArgLocation.Stack(spOffset);
  }

  NewprocLayout withSource(String s) {
    return new NewprocLayout(fn, callerGp, callerPc, result, s);
  }
}
