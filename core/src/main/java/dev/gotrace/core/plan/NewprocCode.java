package dev.gotrace.core.plan;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.arch.Register;
import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.InvalidInstructionException;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.x86.ModRm;
import dev.gotrace.goelf.x86.X86Decoder;
import dev.gotrace.goelf.x86.X86Instruction;
import dev.gotrace.goelf.x86.X86Mode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a row of {@link NewprocLayout}'s table against the one caller of {@code
 * runtime.newproc1} every {@code go} statement goes through: {@code runtime.newproc.func1}, the
 * closure {@code newproc} runs on the system stack. In the straight-line code that leads to its
 * {@code CALL runtime.newproc1}:
 *
 * <ul>
 *   <li>register ABI: the argument registers written are exactly the row's arguments (a parameter
 *       added, removed or moved to another register changes that set); for Go 1.18+ rows fn,
 *       callergp and callerpc are loaded from the closure (RDX) at increasing offsets, the order
 *       the closure body {@code newproc1(fn, gp, pc, ...)} captures them in;
 *   <li>stack ABI: the outgoing argument words stored are exactly the row's;
 *   <li>after the call, the result's slot (RAX, or the word after the arguments) is read before it
 *       is written: the closure hands the new {@code *g} on to {@code runqput}.
 * </ul>
 *
 * Only instructions whose effect on registers and memory is known are accepted; anything else in
 * that code refuses the row rather than guess.
 */
public final class NewprocCode {
  public static final String CLOSURE = "runtime.newproc.func1";

  private static final Arch ARCH = NewprocLayout.ARCH;
  /** Registers by their encoding numbers, the numbers the decoder reports. */
  private static final int RAX = number("rax");
  private static final int RDX = number("rdx");
  private static final int RSP = ARCH.stackPointer().number();
  private static final int RBP = number("rbp");

  private NewprocCode() {}

  /**
   * Empty when the code of {@code bin} agrees with {@code row}; otherwise what did not agree (one
   * phrase, for a message).
   */
  static Optional<String> disagreement(GoBinary bin, NewprocLayout.Row row) throws GoBinaryException {
    try {
      return check(bin, row);
    } catch (ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException e) {
      return Optional.of(CLOSURE + " could not be read (" + e.getMessage() + ")");
    }
  }

  private static Optional<String> check(GoBinary bin, NewprocLayout.Row row) throws GoBinaryException {
    List<GoFunc> closures = bin.functionsNamed(CLOSURE);
    List<GoFunc> callees = bin.functionsNamed(LaunchPlanner.NEWPROC1);
    if (closures.size() != 1 || callees.size() != 1) {
      return Optional.of("there is not exactly one " + CLOSURE + " and one " + LaunchPlanner.NEWPROC1);
    }
    GoFunc f = closures.get(0);
    long target = callees.get(0).entry();
    List<X86Instruction> code;
    try {
      code = decode(bin, f);
    } catch (InvalidInstructionException e) {
      return Optional.of(CLOSURE + " did not decode (" + e.getMessage() + ")");
    }
    int call = -1;
    for (int i = 0; i < code.size(); i++) {
      X86Instruction x = code.get(i);
      if (x.flow() == Flow.CALL && x.target() == target) {
        if (call >= 0) {
          return Optional.of(CLOSURE + " calls " + LaunchPlanner.NEWPROC1 + " more than once");
        }
        call = i;
      }
    }
    if (call < 0) {
      return Optional.of(CLOSURE + " has no direct call of " + LaunchPlanner.NEWPROC1);
    }
    int start = call;
    while (start > 0 && code.get(start - 1).flow() == Flow.NEXT) {
      start--;
    }
    int end = call + 1;
    while (end < code.size() && code.get(end).flow() == Flow.NEXT) {
      end++;
    }
    long lo = code.get(start).address();
    long hi = end < code.size() ? code.get(end).address() : f.end();
    for (X86Instruction x : code) {
      if (x.flow().hasTarget() && x.target() > lo && x.target() < hi) {
        return Optional.of("a branch at 0x" + Long.toHexString(x.address()) + " enters the code around the call");
      }
    }
    byte[] bytes = bin.readAt(f.entry(), Math.toIntExact(f.end() - f.entry()));
    List<Effect> before = new ArrayList<>();
    for (int i = start; i < call; i++) {
      Optional<Effect> e = effect(code.get(i), bytes, f.entry());
      if (e.isEmpty()) {
        return Optional.of("gotrace cannot tell what the instruction at 0x"
            + Long.toHexString(code.get(i).address()) + " in " + CLOSURE + " writes");
      }
      before.add(e.get());
    }
    List<Effect> after = new ArrayList<>();
    for (int i = call + 1; i < end; i++) {
      Optional<Effect> e = effect(code.get(i), bytes, f.entry());
      if (e.isEmpty()) {
        break; // the result must have been read before the first instruction we cannot follow
      }
      after.add(e.get());
    }
    return row.usesRegisters() ? registers(row, before, after) : stack(row, before, after);
  }

  private static Optional<String> registers(NewprocLayout.Row row, List<Effect> before, List<Effect> after) {
    Map<Integer, Effect> last = new LinkedHashMap<>();
    for (Effect e : before) {
      if (e.writes >= 0) {
        last.put(e.writes, e);
      }
    }
    Set<String> written = new TreeSet<>();
    for (Register r : ARCH.intArgRegisters()) {
      if (last.containsKey(r.number())) {
        written.add(r.name());
      }
    }
    Set<String> expected = new TreeSet<>();
    for (ArgLocation s : row.arguments()) {
      expected.add(((ArgLocation.InRegister) s).register().name());
    }
    if (!written.equals(expected)) {
      return Optional.of(CLOSURE + " passes " + written + " to " + LaunchPlanner.NEWPROC1 + " where the table has "
          + expected);
    }
    if (row.capturedInOrder()) {
      long previous = Long.MIN_VALUE;
      for (ArgLocation s : List.of(row.layout().fn(), row.layout().callerGp(), row.layout().callerPc())) {
        Effect e = last.get(((ArgLocation.InRegister) s).register().number());
        if (e.load == null || e.load.base != RDX || e.load.size != 8 || e.load.disp <= previous) {
          return Optional.of(CLOSURE + " does not load fn, callergp and callerpc from its closure in that order");
        }
        previous = e.load.disp;
      }
    }
    int result = ((ArgLocation.InRegister) row.layout().result()).register().number();
    for (Effect e : after) {
      if (e.reads.contains(result)) {
        return Optional.empty();
      }
      if (e.writes == result) {
        break;
      }
    }
    return Optional.of(CLOSURE + " does not use " + ARCH.registerNumbered(result).orElseThrow().name() + " after the call (the new *g)");
  }

  private static Optional<String> stack(NewprocLayout.Row row, List<Effect> before, List<Effect> after) {
    Set<Long> stored = new TreeSet<>();
    for (Effect e : before) {
      if (e.writes == RSP) {
        stored.clear(); // only stores relative to SP as it is at the call count
      }
      // The frame pointer's save (MOV RBP, d(SP)) is not an argument.
      if (e.store != null && e.store.base == RSP && !e.reads.contains(RBP)) {
        stored.add(e.store.disp + ARCH.ptrSize()); // callee SP = caller SP - the return address CALL pushes
      }
    }
    Set<Long> expected = new TreeSet<>();
    for (ArgLocation s : row.arguments()) {
      expected.add(((ArgLocation.Stack) s).spOffset());
    }
    if (!stored.equals(expected)) {
      return Optional.of(CLOSURE + " stores its arguments at " + stored + "(SP) of " + LaunchPlanner.NEWPROC1
          + " where the table has " + expected);
    }
    long result = ((ArgLocation.Stack) row.layout().result()).spOffset() - ARCH.ptrSize();
    for (Effect e : after) {
      if (e.load != null && e.load.base == RSP && e.load.disp == result) {
        return Optional.empty();
      }
      if (e.store != null && e.store.base == RSP && e.store.disp == result) {
        break;
      }
    }
    return Optional.of(CLOSURE + " does not read the result word after the call");
  }

  private static int number(String name) {
    return ARCH.register(name).orElseThrow().number();
  }

  private static List<X86Instruction> decode(GoBinary bin, GoFunc f)
      throws GoBinaryException, InvalidInstructionException {
    int n = Math.toIntExact(f.end() - f.entry());
    if (n <= 0 || n > 4096) {
      throw new InvalidInstructionException(f.entry(), "a closure of " + n + " bytes");
    }
    byte[] b = bin.readAt(f.entry(), n);
    X86Decoder d = new X86Decoder(X86Mode.BITS64);
    List<X86Instruction> out = new ArrayList<>();
    int off = 0;
    while (off < n) {
      X86Instruction x = d.decode(b, off, n, f.entry() + off);
      out.add(x);
      off += x.length();
    }
    return out;
  }

  /** A memory operand {@code disp(base)} of {@code size} bytes, without index. */
  record Mem(int base, long disp, int size) {}

  /**
   * What one instruction does: the general register it writes (-1: none), the registers it reads,
   * the memory it stores to or loads from.
   */
  record Effect(int writes, Set<Integer> reads, Mem store, Mem load) {}

  /** The effect of {@code x}; empty when it is not one of the few forms this check knows. */
  static Optional<Effect> effect(X86Instruction x, byte[] code, long base) {
    if (x.vex() || x.flow() != Flow.NEXT || x.has(X86Instruction.PREFIX_GS)
        || x.has(X86Instruction.PREFIX_ADDRSIZE) || x.has(X86Instruction.PREFIX_LOCK)) {
      return Optional.empty();
    }
    if (x.has(X86Instruction.PREFIX_FS)) {
      // MOV r, FS:off: the current g from thread-local storage (Go before 1.17); not the stack.
      return x.is(0x8b) && x.modrm().isPresent() && !x.modrm().get().isRegister()
          ? Optional.of(new Effect(x.modrm().get().reg(), Set.of(), null, null)) : Optional.empty();
    }
    int rex = rex(code, Math.toIntExact(x.address() - base), x.length());
    int size = x.rexW() ? 8 : x.has(X86Instruction.PREFIX_OPSIZE) ? 2 : 4;
    ModRm m = x.modrm().orElse(null);
    if (x.map() == X86Instruction.MAP_ONE_BYTE) {
      int op = x.opcode();
      if (op >= 0x50 && op <= 0x57) { // PUSH r64
        return Optional.of(new Effect(RSP, regs((op & 7) | (rex & 1) << 3, RSP), new Mem(RSP, -8, 8), null));
      }
      if (op >= 0xb8 && op <= 0xbf) { // MOV r, imm
        return Optional.of(new Effect((op & 7) | (rex & 1) << 3, Set.of(), null, null));
      }
      if (op == 0x90 && (rex & 1) == 0) { // NOP, 66 NOP (xchg ax, ax)
        return Optional.of(new Effect(-1, Set.of(), null, null));
      }
      if (m == null) {
        return Optional.empty();
      }
      boolean bytes = op == 0x88 || op == 0x8a || op == 0xc6 || op == 0x30 || op == 0x32 || op == 0x84;
      int reg = byteReg(m.reg(), bytes, rex);
      int opSize = bytes ? 1 : size;
      switch (op) {
        case 0x89, 0x88: // MOV r/m, r
          if (m.isRegister()) {
            return Optional.of(new Effect(byteReg(m.rm(), bytes, rex), Set.of(reg), null, null));
          }
          return mem(m).map(a -> new Effect(-1, reads(reg, a), new Mem(a.base, a.disp, opSize), null));
        case 0x8b, 0x8a: // MOV r, r/m
          if (m.isRegister()) {
            return Optional.of(new Effect(reg, Set.of(byteReg(m.rm(), bytes, rex)), null, null));
          }
          return mem(m).map(a -> new Effect(reg, Set.of(a.base), null, new Mem(a.base, a.disp, opSize)));
        case 0x8d: // LEA r, m
          return m.isRegister() || m.index() != ModRm.NONE ? Optional.empty()
              : Optional.of(new Effect(reg, Set.of(m.base()), null, null));
        case 0x31, 0x33, 0x30, 0x32: // XOR; the same register twice zeroes it
          if (!m.isRegister()) {
            return Optional.empty();
          }
          int rm = byteReg(m.rm(), bytes, rex);
          int dst = op == 0x31 || op == 0x30 ? rm : reg;
          return Optional.of(new Effect(dst, rm == reg ? Set.of() : Set.of(rm, reg), null, null));
        case 0x85, 0x84, 0x39, 0x3b: // TEST, CMP
          return m.isRegister() ? Optional.of(new Effect(-1, regs(reg, byteReg(m.rm(), bytes, rex)), null, null))
              : Optional.empty();
        case 0x81, 0x83: // ADD/OR/AND/SUB/XOR/CMP r/m, imm
          if (!m.isRegister() || m.ext() == 2 || m.ext() == 3) {
            return Optional.empty();
          }
          return Optional.of(new Effect(m.ext() == 7 ? -1 : m.rm(), Set.of(m.rm()), null, null));
        case 0xc7, 0xc6: // MOV r/m, imm
          if (m.ext() != 0) {
            return Optional.empty();
          }
          return m.isRegister() ? Optional.of(new Effect(byteReg(m.rm(), bytes, rex), Set.of(), null, null))
              : mem(m).map(a -> new Effect(-1, Set.of(a.base), new Mem(a.base, a.disp, opSize), null));
        default:
          return Optional.empty();
      }
    }
    if (x.map() == X86Instruction.MAP_0F && m != null) {
      int op = x.opcode();
      if (op == 0x1f) { // NOP r/m
        return Optional.of(new Effect(-1, Set.of(), null, null));
      }
      if (op == 0xb6 || op == 0xb7 || op == 0xbe || op == 0xbf) { // MOVZX, MOVSX
        int from = op == 0xb6 || op == 0xbe ? 1 : 2;
        return m.isRegister() ? Optional.of(new Effect(m.reg(), Set.of(byteReg(m.rm(), from == 1, rex)), null, null))
            : mem(m).map(a -> new Effect(m.reg(), Set.of(a.base), null, new Mem(a.base, a.disp, from)));
      }
      if (op == 0x57 || op == 0xef || op == 0x10 || op == 0x28) { // XORPS, PXOR, MOVUPS/MOVAPS to XMM
        return m.isRegister() || op == 0x57 || op == 0xef ? Optional.of(new Effect(-1, Set.of(), null, null))
            : mem(m).map(a -> new Effect(-1, Set.of(a.base), null, new Mem(a.base, a.disp, 16)));
      }
      if (op == 0x11 || op == 0x29) { // MOVUPS/MOVAPS from XMM
        return m.isRegister() ? Optional.of(new Effect(-1, Set.of(), null, null))
            : mem(m).map(a -> new Effect(-1, Set.of(a.base), new Mem(a.base, a.disp, 16), null));
      }
    }
    return Optional.empty();
  }

  private static Set<Integer> reads(int reg, Mem a) {
    return regs(reg, a.base);
  }

  /** The registers named, each once (TEST RAX, RAX names one). */
  private static Set<Integer> regs(int... rs) {
    Set<Integer> out = new TreeSet<>();
    for (int r : rs) {
      out.add(r);
    }
    return Set.copyOf(out);
  }

  /** A memory operand with a base register and no index (not RIP-relative). */
  private static Optional<Mem> mem(ModRm m) {
    if (m.isRegister() || m.index() != ModRm.NONE || m.base() == ModRm.NONE || m.base() == ModRm.RIP) {
      return Optional.empty();
    }
    return Optional.of(new Mem(m.base(), m.disp(), 0));
  }

  /** Without REX, byte registers 4–7 are AH CH DH BH: parts of RAX RCX RDX RBX. */
  private static int byteReg(int r, boolean bytes, int rex) {
    return bytes && rex == 0 && r >= 4 && r <= 7 ? r - 4 : r;
  }

  /** The REX prefix of the instruction at {@code code[off]}, 0 when it has none. */
  private static int rex(byte[] code, int off, int len) {
    for (int i = off; i < off + len && i < code.length; i++) {
      int b = code[i] & 0xff;
      if (b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36 || b == 0x3e
          || b == 0x26 || b == 0x64 || b == 0x65) {
        continue;
      }
      return b >= 0x40 && b <= 0x4f ? b : 0;
    }
    return 0;
  }
}
