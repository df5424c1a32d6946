package dev.gotrace.core.query;

import static dev.gotrace.probes.asm.Insn.alu32;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.ja;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldImm64;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.abi.Piece;
import dev.gotrace.core.expr.Expr.CompareOp;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.probes.asm.AluOp;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import java.util.ArrayList;
import java.util.List;

/** Emits the code of {@link QueryAsm}: one instance per block, with its own labels. */
final class Emitter {
  private final Window w;
  private final String prefix;
  private final List<Item> out = new ArrayList<>();
  private int labels;

  Emitter(Window w, String prefix) {
    this.w = w;
    this.prefix = prefix;
  }

  List<Item> items() {
    return Peephole.clean(out);
  }

  private String label() {
    return prefix + "_q" + labels++;
  }

  private void place(String l) {
    out.add(new Label(l));
  }

  private void add(Insn... is) {
    out.addAll(List.of(is));
  }

  // ---- conditions

  void jumpIfFalse(Cond c, String f) {
    if (c instanceof Cond.Truth t) {
      if (!t.value()) {
        add(ja(f));
      }
    } else if (c instanceof Cond.And a) {
      jumpIfFalse(a.left(), f);
      jumpIfFalse(a.right(), f);
    } else if (c instanceof Cond.Or o) {
      String skip = label();
      jumpIfTrue(o.left(), skip);
      jumpIfFalse(o.right(), f);
      place(skip);
    } else if (c instanceof Cond.Not n) {
      jumpIfTrue(n.operand(), f);
    } else {
      String yes = label();
      leaf(c, yes, f);
      place(yes);
    }
  }

  void jumpIfTrue(Cond c, String t) {
    if (c instanceof Cond.Truth k) {
      if (k.value()) {
        add(ja(t));
      }
    } else if (c instanceof Cond.And a) {
      String skip = label();
      jumpIfFalse(a.left(), skip);
      jumpIfTrue(a.right(), t);
      place(skip);
    } else if (c instanceof Cond.Or o) {
      jumpIfTrue(o.left(), t);
      jumpIfTrue(o.right(), t);
    } else if (c instanceof Cond.Not n) {
      jumpIfFalse(n.operand(), t);
    } else {
      String no = label();
      leaf(c, t, no);
      place(no);
    }
  }

  /** R0 = 1 when {@code c} holds, else 0. */
  void value(Cond c) {
    String no = label();
    String done = label();
    jumpIfFalse(c, no);
    add(mov64(Reg.R0, 1), ja(done));
    place(no);
    add(mov64(Reg.R0, 0));
    place(done);
  }

  void captures(List<Cond> cs, int dst) {
    add(st(Size.DW, Reg.R10, dst, 0));
    for (int i = 0; i < cs.size(); i++) {
      value(cs.get(i));
      if (i > 0) {
        add(alu64(AluOp.LSH, Reg.R0, i));
      }
      add(ldx(Size.DW, Reg.R1, Reg.R10, dst), alu64(AluOp.OR, Reg.R1, Reg.R0), stx(Size.DW, Reg.R10, dst, Reg.R1));
    }
  }

  /** A leaf: jumps to {@code yes} when it holds, to {@code no} when not or when a read faults. */
  private void leaf(Cond c, String yes, String no) {
    if (c instanceof Cond.IsTrue t) {
      load(t.access(), 0, 1, Reg.R0, no);
      add(jmp(JmpOp.JNE, Reg.R0, 0, yes));
    } else if (c instanceof Cond.IsNil n) {
      load(n.access(), 0, 8, Reg.R0, no);
      add(jmp(n.nil() ? JmpOp.JEQ : JmpOp.JNE, Reg.R0, 0, yes));
    } else if (c instanceof Cond.Captured k) {
      add(ldx(Size.DW, Reg.R0, Reg.R10, w.captured()));
      if (k.bit() > 0) {
        add(alu64(AluOp.RSH, Reg.R0, k.bit()));
      }
      add(alu64(AluOp.AND, Reg.R0, 1), jmp(JmpOp.JNE, Reg.R0, 0, yes));
    } else if (c instanceof Cond.Compare k) {
      compare(k, yes, no);
    } else if (c instanceof Cond.StrCompare s) {
      if (s.op() == CompareOp.EQ) {
        stringEquals(s, yes, no, no);
      } else if (s.op() == CompareOp.NE) {
        stringEquals(s, no, yes, no);
      } else {
        stringOrder(s, yes, no);
      }
    } else if (c instanceof Cond.HasAffix h) {
      affix(h, yes, no);
    } else {
      throw new IllegalArgumentException("not a leaf: " + c);
    }
    add(ja(no));
  }

  private void compare(Cond.Compare k, String yes, String no) {
    TExpr l = k.left();
    TExpr r = k.right();
    CompareOp op = k.op();
    if (l instanceof TExpr.Const && !(r instanceof TExpr.Const)) {
      TExpr t = l;
      l = r;
      r = t;
      op = Typer.flip(op);
    }
    VType type = l.type();
    String nan = op == CompareOp.NE ? yes : no; // NaN: unequal to everything, ordered with nothing
    scalar(l, Reg.R0, no);
    if (type instanceof VType.Float f) {
      floatOrder(Reg.R0, f.size(), nan);
    }
    JmpOp j = jmpOp(op, type instanceof VType.Int i && i.signed());
    if (r instanceof TExpr.Const c) {
      long bits = type instanceof VType.Float f ? Evaluator.floatOrder(c.bits(), f.size()) : c.bits();
      if (bits == (int) bits) {
        add(jmp(j, Reg.R0, (int) bits, yes));
      } else {
        add(ldImm64(Reg.R1, bits), jmp(j, Reg.R0, Reg.R1, yes));
      }
    } else {
      add(stx(Size.DW, Reg.R10, w.saved(), Reg.R0));
      scalar(r, Reg.R0, no);
      if (type instanceof VType.Float f) {
        floatOrder(Reg.R0, f.size(), nan);
      }
      add(mov64(Reg.R1, Reg.R0), ldx(Size.DW, Reg.R0, Reg.R10, w.saved()), jmp(j, Reg.R0, Reg.R1, yes));
    }
  }

  private static JmpOp jmpOp(CompareOp op, boolean signed) {
    return switch (op) {
      case EQ -> JmpOp.JEQ;
      case NE -> JmpOp.JNE;
      case LT -> signed ? JmpOp.JSLT : JmpOp.JLT;
      case LE -> signed ? JmpOp.JSLE : JmpOp.JLE;
      case GT -> signed ? JmpOp.JSGT : JmpOp.JGT;
      case GE -> signed ? JmpOp.JSGE : JmpOp.JGE;
    };
  }

  /**
   * Turns the IEEE bits of a float in {@code r} into a key whose unsigned order is the float's
   * (-0 taken as +0); jumps to {@code nan} for a NaN. Uses R2 and R4.
   */
  private void floatOrder(Reg r, int size, String nan) {
    String zeroOk = label();
    String negative = label();
    String done = label();
    if (size == 8) {
      add(mov64(Reg.R2, r), ldImm64(Reg.R4, Long.MAX_VALUE), alu64(AluOp.AND, Reg.R2, Reg.R4),
          ldImm64(Reg.R4, 0x7ff0000000000000L), jmp(JmpOp.JGT, Reg.R2, Reg.R4, nan),
          jmp(JmpOp.JNE, Reg.R2, 0, zeroOk), mov64(r, 0));
      place(zeroOk);
      add(jmp(JmpOp.JSLT, r, 0, negative), ldImm64(Reg.R4, Long.MIN_VALUE), alu64(AluOp.OR, r, Reg.R4), ja(done));
      place(negative);
      add(alu64(AluOp.XOR, r, -1));
    } else {
      add(mov64(Reg.R2, r), alu64(AluOp.AND, Reg.R2, 0x7fffffff), jmp(JmpOp.JGT, Reg.R2, 0x7f800000, nan),
          jmp(JmpOp.JNE, Reg.R2, 0, zeroOk), mov64(r, 0));
      place(zeroOk);
      add(jmp(JmpOp.JSET, r, Integer.MIN_VALUE, negative), alu32(AluOp.OR, r, Integer.MIN_VALUE), ja(done));
      place(negative);
      add(alu32(AluOp.XOR, r, -1));
    }
    place(done);
  }

  /** {@code e}'s scalar into R0, or a jump to {@code fault} when it cannot be read. */
  void scalarInto(TExpr e, String fault) {
    scalar(e, Reg.R0, fault);
  }

  /** A scalar in {@code dst}: an integer sign- or zero-extended, a bool 0/1, a float's raw bits. */
  private void scalar(TExpr e, Reg dst, String fault) {
    if (e instanceof TExpr.Len n) {
      load(n.access(), 8, 8, dst, fault);
    } else if (e instanceof TExpr.Load l) {
      VType t = l.access().type();
      load(l.access(), 0, t.size(), dst, fault);
      if (t instanceof VType.Int i && i.signed() && i.size() < 8) {
        add(alu64(AluOp.LSH, dst, 64 - 8 * i.size()), alu64(AluOp.ARSH, dst, 64 - 8 * i.size()));
      }
    } else if (e instanceof TExpr.Const c) {
      add(ldImm64(dst, c.bits()));
    }
  }

  // ---- strings

  /** Jumps to {@code match} when the string equals the literal, {@code mismatch} when not. */
  private void stringEquals(Cond.StrCompare s, String match, String mismatch, String fault) {
    int n = s.literal().length();
    header(s.string(), fault);
    add(jmp(JmpOp.JNE, Reg.R0, n, mismatch));
    if (n == 0) {
      add(ja(match));
      return;
    }
    add(ldx(Size.DW, Reg.R3, Reg.R10, w.saved()));
    readAndMatch(s.literal(), mismatch, fault);
    add(ja(match));
  }

  private void affix(Cond.HasAffix h, String yes, String no) {
    int n = h.literal().length();
    header(h.string(), no);
    add(jmp(JmpOp.JLT, Reg.R0, n, no));
    if (n == 0) {
      add(ja(yes));
      return;
    }
    add(ldx(Size.DW, Reg.R3, Reg.R10, w.saved()));
    if (h.suffix()) {
      add(alu64(AluOp.ADD, Reg.R3, Reg.R0), alu64(AluOp.SUB, Reg.R3, n));
    }
    readAndMatch(h.literal(), no, no);
    add(ja(yes));
  }

  /** Reads the literal's length of bytes from the address in R3 and compares them, 8 at a time. */
  private void readAndMatch(Cond.Bytes lit, String mismatch, String fault) {
    int n = lit.length();
    int words = (n + 7) / 8;
    add(st(Size.DW, Reg.R10, w.buffer() + 8 * (words - 1), 0), mov64(Reg.R1, Reg.R10),
        alu64(AluOp.ADD, Reg.R1, w.buffer()), mov64(Reg.R2, n), call(Helper.PROBE_READ_USER),
        jmp(JmpOp.JNE, Reg.R0, 0, fault));
    for (int k = 0; k < words; k++) {
      long word = Evaluator.word(lit, k);
      add(ldx(Size.DW, Reg.R0, Reg.R10, w.buffer() + 8 * k));
      if (word == (int) word) {
        add(jmp(JmpOp.JNE, Reg.R0, (int) word, mismatch));
      } else {
        add(ldImm64(Reg.R1, word), jmp(JmpOp.JNE, Reg.R0, Reg.R1, mismatch));
      }
    }
  }

  /** {@code s op lit} bytewise: the first differing byte decides, else the shorter is less. */
  private void stringOrder(Cond.StrCompare s, String yes, String no) {
    int n = s.literal().length();
    String less = label();
    String equal = label();
    String greater = label();
    header(s.string(), no);
    add(stx(Size.DW, Reg.R10, w.length(), Reg.R0));
    if (n == 0) {
      add(jmp(JmpOp.JEQ, Reg.R0, 0, equal), ja(greater));
    } else {
      String bounded = label();
      add(mov64(Reg.R2, Reg.R0), jmp(JmpOp.JLE, Reg.R2, n, bounded), mov64(Reg.R2, n));
      place(bounded);
      add(stx(Size.DW, Reg.R10, w.bound(), Reg.R2), mov64(Reg.R1, Reg.R10), alu64(AluOp.ADD, Reg.R1, w.buffer()),
          ldx(Size.DW, Reg.R3, Reg.R10, w.saved()), call(Helper.PROBE_READ_USER), jmp(JmpOp.JNE, Reg.R0, 0, no),
          ldx(Size.DW, Reg.R5, Reg.R10, w.bound()));
      for (int i = 0; i < n; i++) {
        add(jmp(JmpOp.JLE, Reg.R5, i, less), ldx(Size.B, Reg.R0, Reg.R10, w.buffer() + i),
            jmp(JmpOp.JLT, Reg.R0, s.literal().at(i), less), jmp(JmpOp.JGT, Reg.R0, s.literal().at(i), greater));
      }
      add(ldx(Size.DW, Reg.R0, Reg.R10, w.length()), jmp(JmpOp.JGT, Reg.R0, n, greater), ja(equal));
    }
    place(less);
    add(ja(Typer.holds(s.op(), -1) ? yes : no));
    place(equal);
    add(ja(Typer.holds(s.op(), 0) ? yes : no));
    place(greater);
    add(ja(Typer.holds(s.op(), 1) ? yes : no));
  }

  // ---- keys

  void keyPart(KeyPart p, Reg base, int off) {
    int at = off + p.offset();
    String unreadable = label();
    String done = label();
    if (p.source() instanceof KeyPart.Test t) {
      value(t.cond());
      add(stx(Size.DW, base, at, Reg.R0));
      return;
    }
    if (p.source() instanceof KeyPart.Value v) {
      scalar(v.value(), Reg.R0, unreadable);
      add(stx(Size.DW, base, at, Reg.R0), ja(done));
    } else if (p.source() instanceof KeyPart.Text t) {
      zero(base, at, p.size());
      header(t.string(), unreadable);
      String bounded = label();
      add(stx(Size.DW, base, at, Reg.R0), mov64(Reg.R2, Reg.R0), jmp(JmpOp.JLE, Reg.R2, t.bytes(), bounded),
          mov64(Reg.R2, t.bytes()));
      place(bounded);
      add(jmp(JmpOp.JEQ, Reg.R2, 0, done), mov64(Reg.R1, base), alu64(AluOp.ADD, Reg.R1, at + 8),
          ldx(Size.DW, Reg.R3, Reg.R10, w.saved()), call(Helper.PROBE_READ_USER), jmp(JmpOp.JEQ, Reg.R0, 0, done));
    }
    place(unreadable);
    zero(base, at, p.size());
    add(ldx(Size.W, Reg.R1, base, off + KeyLayout.UNREADABLE), alu32(AluOp.OR, Reg.R1, 1 << p.index()),
        stx(Size.W, base, off + KeyLayout.UNREADABLE, Reg.R1));
    place(done);
  }

  private void zero(Reg base, int at, int size) {
    for (int j = 0; j < size; j += 8) {
      add(st(Size.DW, base, at + j, 0));
    }
  }

  // ---- reads

  /**
   * {@code size} bytes (1, 2, 4 or 8) at {@code extra} bytes into the value of {@code a}, zero
   * extended into {@code dst} (R0–R5); a nil pointer or a faulting read jumps to {@code fault}.
   * Clobbers R0–R5.
   */
  private void load(Access a, long extra, int size, Reg dst, String fault) {
    if (a.hops().isEmpty()) {
      rootWord(a.root(), a.offset() + extra, size, dst, fault);
      return;
    }
    address(a, fault);
    if (extra != 0) {
      add(alu64(AluOp.ADD, Reg.R3, Math.toIntExact(extra)));
    }
    readMemory(size, dst, fault);
  }

  /**
   * A string's header: its data pointer into the window's saved word, its length into R0; one
   * read of 16 bytes when it is behind pointers.
   */
  private void header(Access a, String fault) {
    if (a.hops().isEmpty()) {
      load(a, 0, 8, Reg.R0, fault);
      add(stx(Size.DW, Reg.R10, w.saved(), Reg.R0));
      load(a, 8, 8, Reg.R0, fault);
      return;
    }
    address(a, fault);
    add(mov64(Reg.R1, Reg.R10), alu64(AluOp.ADD, Reg.R1, w.scratch()), mov64(Reg.R2, 16),
        call(Helper.PROBE_READ_USER), jmp(JmpOp.JNE, Reg.R0, 0, fault),
        ldx(Size.DW, Reg.R1, Reg.R10, w.scratch() + 8), ldx(Size.DW, Reg.R0, Reg.R10, w.scratch()),
        stx(Size.DW, Reg.R10, w.saved(), Reg.R0), mov64(Reg.R0, Reg.R1));
  }

  /** The address of a value behind pointers into R3 (each pointer checked for nil). */
  private void address(Access a, String fault) {
    rootWord(a.root(), a.offset(), 8, Reg.R3, fault);
    List<Long> hops = a.hops();
    for (int i = 0; i < hops.size(); i++) {
      add(jmp(JmpOp.JEQ, Reg.R3, 0, fault));
      if (hops.get(i) != 0) {
        add(alu64(AluOp.ADD, Reg.R3, Math.toIntExact(hops.get(i))));
      }
      if (i < hops.size() - 1) {
        readMemory(8, Reg.R3, fault);
      }
    }
  }

  private void rootWord(ParamLayout root, long offset, int size, Reg dst, String fault) {
    Piece piece = Resolver.pieceOf(root, offset, size)
        .orElseThrow(() -> new IllegalArgumentException(root.name() + " has no piece at " + offset));
    long within = offset - piece.offset();
    if (piece.where() instanceof ArgLocation.InRegister r) {
      add(ldx(Size.DW, dst, Reg.R6, r.register().ptRegsOffset()));
      if (within > 0) {
        add(alu64(AluOp.RSH, dst, (int) (8 * within)));
      }
      mask(dst, size);
    } else if (piece.where() instanceof ArgLocation.Stack s) {
      add(ldx(Size.DW, Reg.R3, Reg.R6, Arch.AMD64.stackPointer().ptRegsOffset()),
          alu64(AluOp.ADD, Reg.R3, Math.toIntExact(s.spOffset() + within)));
      readMemory(size, dst, fault);
    } else if (piece.where() instanceof ArgLocation.Static s) {
      staticAddress(s, within, Reg.R3);
      readMemory(size, dst, fault);
    } else {
      throw new IllegalArgumentException(root.name() + " is in a floating-point register");
    }
  }

  /**
   * The run-time address of {@code within} bytes into a package variable, into {@code dst}: its
   * link address, plus in a PIE the load bias {@code pt_regs->ip - site}. Clobbers R1.
   */
  void staticAddress(ArgLocation.Static s, long within, Reg dst) {
    if (s.site().isEmpty()) {
      add(ldImm64(dst, s.address() + within));
    } else {
      add(ldx(Size.DW, dst, Reg.R6, Arch.AMD64.ptRegsPc()), ldImm64(Reg.R1, s.address() + within - s.site().getAsLong()),
          alu64(AluOp.ADD, dst, Reg.R1));
    }
  }

  /** {@code size} bytes at the address in R3 into {@code dst}, through the window's landing word. */
  private void readMemory(int size, Reg dst, String fault) {
    add(mov64(Reg.R1, Reg.R10), alu64(AluOp.ADD, Reg.R1, w.scratch()), mov64(Reg.R2, size),
        call(Helper.PROBE_READ_USER), jmp(JmpOp.JNE, Reg.R0, 0, fault), ldx(sizeOf(size), dst, Reg.R10, w.scratch()));
  }

  private void mask(Reg r, int size) {
    switch (size) {
      case 4 -> add(alu32(AluOp.MOV, r, r));
      case 2 -> add(alu64(AluOp.AND, r, 0xffff));
      case 1 -> add(alu64(AluOp.AND, r, 0xff));
      default -> { }
    }
  }

  private static Size sizeOf(int n) {
    return switch (n) {
      case 1 -> Size.B;
      case 2 -> Size.H;
      case 4 -> Size.W;
      case 8 -> Size.DW;
      default -> throw new IllegalArgumentException("a read of " + n + " bytes");
    };
  }
}
