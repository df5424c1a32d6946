package dev.gotrace.core.abi;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.dwarf.GoType;
import dev.gotrace.goelf.dwarf.Param;
import dev.gotrace.goelf.dwarf.Subprogram;
import java.util.ArrayList;
import java.util.List;

/**
 * Assigns the parameters of a function to registers and stack slots, following
 * {@code src/cmd/compile/abi-internal.md} ("Function call argument and result passing") for the
 * register ABI of amd64, and the stack layout of ABI0 otherwise. Stack offsets are from SP at the
 * function's entry, where {@code 0(SP)} is the return address (also SP at a RET). The registers,
 * their number and the word size are {@link Arch}'s.
 */
public final class GoAbi {
  private final Arch arch;
  private final boolean registers;
  /** The word size: pointers, and the return address at {@code 0(SP)}. */
  private final int ptr;
  /** The next free integer and float registers while one function is assigned (a fresh instance each). */
  private int nextInt;
  private int nextFloat;

  private GoAbi(Arch arch, boolean registers) {
    this.arch = arch;
    this.registers = registers;
    this.ptr = arch.ptrSize();
  }

  /** The register ABI (ABIInternal) of {@code arch}: Go 1.17+ on amd64. */
  public static GoAbi register(Arch arch) {
    return new GoAbi(arch, true);
  }

  /** The stack ABI (ABI0) of {@code arch}: Go before 1.17, and assembly functions. */
  public static GoAbi stack(Arch arch) {
    return new GoAbi(arch, false);
  }

  public Arch arch() {
    return arch;
  }

  public boolean usesRegisters() {
    return registers;
  }

  /**
   * The layout of every input then every result of {@code fn}. Inputs are where they are at the
   * entry probe, results where they are at each return site.
   */
  public FunctionLayout layout(Subprogram fn) {
    return new GoAbi(arch, registers).run(fn);
  }

  private FunctionLayout run(Subprogram fn) {
    long[] stack = {ptr};
    List<ParamLayout> in = new ArrayList<>();
    if (isShaped(fn.name()) && fn.inputs().stream().noneMatch(p -> p.name().equals(".dict"))) {
      // A shaped instance of a generic function takes its dictionary first, a pointer DWARF did
      // not list before Go 1.27 (cmd/compile/internal/noder: the ".dict" parameter); from Go 1.27
      // DWARF lists it, first, and it is assigned like any other input.
      if (!(registers && intReg(0, ptr, new ArrayList<>()))) {
        stack[0] += ptr;
      }
    }
    for (Param p : fn.inputs()) {
      in.add(assign(p, stack));
    }
    stack[0] = align(stack[0], ptr);
    nextInt = 0;
    nextFloat = 0;
    List<ParamLayout> out = new ArrayList<>();
    for (Param p : fn.results()) {
      out.add(assign(p, stack));
    }
    return new FunctionLayout(fn.name(), in, out);
  }

  /** Whether {@code name} is a shaped instance of a generic function, e.g. "main.Map[go.shape.int]". */
  static boolean isShaped(String name) {
    int b = name.indexOf('[');
    return b > 0 && name.indexOf("go.shape.", b) > 0;
  }

  private ParamLayout assign(Param p, long[] stack) {
    GoType t = p.type().underlying();
    long size = Math.max(0, t.size());
    List<Piece> pieces = new ArrayList<>();
    if (size > 0 && registers) {
      int i = nextInt;
      int f = nextFloat;
      if (registerAssign(t, 0, pieces)) {
        return new ParamLayout(p.name(), p.type(), p.result(), size, pieces);
      }
      nextInt = i;
      nextFloat = f;
      pieces.clear();
    }
    stack[0] = align(stack[0], alignOf(t));
    if (size > 0) {
      pieces.add(new Piece(0, Math.toIntExact(size), new ArgLocation.Stack(stack[0])));
    }
    stack[0] += size;
    return new ParamLayout(p.name(), p.type(), p.result(), size, pieces);
  }

  private boolean registerAssign(GoType type, long off, List<Piece> out) {
    GoType t = type.underlying();
    if (t instanceof GoType.Base b) {
      if (b.encoding() == 4) {
        return floatReg(off, (int) b.size(), out);
      }
      if (b.encoding() == 3) {
        int half = (int) (b.size() / 2);
        return floatReg(off, half, out) && floatReg(off + half, half, out);
      }
      return b.size() <= ptr && b.size() > 0 && intReg(off, (int) b.size(), out);
    }
    if (t instanceof GoType.Pointer || t instanceof GoType.GoMap || t instanceof GoType.Chan
        || t instanceof GoType.Func) {
      return intReg(off, ptr, out);
    }
    if (t instanceof GoType.GoString || t instanceof GoType.Interface) {
      return intReg(off, ptr, out) && intReg(off + ptr, ptr, out);
    }
    if (t instanceof GoType.Slice) {
      return intReg(off, ptr, out) && intReg(off + ptr, ptr, out) && intReg(off + 2 * ptr, ptr, out);
    }
    if (t instanceof GoType.Struct s) {
      for (GoType.Field fld : s.fields()) {
        if (!registerAssign(fld.type().get(), off + fld.offset(), out)) {
          return false;
        }
      }
      return true;
    }
    if (t instanceof GoType.Array a) {
      return a.count() == 0 || a.count() == 1 && registerAssign(a.elem().get(), off, out);
    }
    return false;
  }

  private boolean intReg(long off, int size, List<Piece> out) {
    if (nextInt >= arch.intArgRegisters().size()) {
      return false;
    }
    out.add(new Piece(off, size, new ArgLocation.InRegister(arch.intArgRegisters().get(nextInt++))));
    return true;
  }

  private boolean floatReg(long off, int size, List<Piece> out) {
    if (nextFloat >= arch.floatArgRegisters()) {
      return false;
    }
    out.add(new Piece(off, size, new ArgLocation.FloatRegister(arch.floatRegisterName(nextFloat++))));
    return true;
  }

  /** Alignment of a Go type (abi-internal.md, "Memory layout"). */
  long alignOf(GoType type) {
    GoType t = type.underlying();
    if (t instanceof GoType.Base b) {
      return b.encoding() == 3 ? Math.max(1, b.size() / 2) : Math.max(1, Math.min(ptr, b.size()));
    }
    if (t instanceof GoType.Struct s) {
      long a = 1;
      for (GoType.Field f : s.fields()) {
        a = Math.max(a, alignOf(f.type().get()));
      }
      return a;
    }
    if (t instanceof GoType.Array a) {
      return alignOf(a.elem().get());
    }
    return ptr;
  }

  static long align(long x, long a) {
    return (x + a - 1) / a * a;
  }
}
