package dev.gotrace.core.query;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.abi.Piece;
import dev.gotrace.core.expr.Expr.CompareOp;
import dev.gotrace.goelf.arch.Arch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Evaluates the typed tree in user space over the bytes a probe sees: {@code struct pt_regs} and
 * the user memory it may read. The same semantics as the code of {@link QueryAsm} (the oracle of
 * its tests): the same reads, a nil pointer or a faulting read making a leaf false and a key
 * part unreadable, the same key bytes.
 */
public final class Evaluator {
  private final Arch arch;
  private final ByteBuffer regs;
  private final UserMemory memory;
  private final long captured;

  /**
   * @param ptRegs the bytes of {@code struct pt_regs}
   * @param captured at an exit, the word of captured bits ({@link Cond.Captured})
   */
  public Evaluator(Arch arch, byte[] ptRegs, UserMemory memory, long captured) {
    this.arch = arch;
    this.regs = ByteBuffer.wrap(ptRegs.clone()).order(ByteOrder.LITTLE_ENDIAN);
    this.memory = memory;
    this.captured = captured;
  }

  public Evaluator(Arch arch, byte[] ptRegs, UserMemory memory) {
    this(arch, ptRegs, memory, 0);
  }

  public boolean test(Cond c) {
    if (c instanceof Cond.Truth t) {
      return t.value();
    }
    if (c instanceof Cond.And a) {
      return test(a.left()) && test(a.right());
    }
    if (c instanceof Cond.Or o) {
      return test(o.left()) || test(o.right());
    }
    if (c instanceof Cond.Not n) {
      return !test(n.operand());
    }
    if (c instanceof Cond.IsTrue t) {
      OptionalLong v = load(t.access(), 0, 1);
      return v.isPresent() && v.getAsLong() != 0;
    }
    if (c instanceof Cond.IsNil n) {
      OptionalLong v = load(n.access(), 0, 8);
      return v.isPresent() && (v.getAsLong() == 0) == n.nil();
    }
    if (c instanceof Cond.Captured k) {
      return (captured >>> k.bit() & 1) != 0;
    }
    if (c instanceof Cond.Compare k) {
      return compare(k);
    }
    if (c instanceof Cond.StrCompare s) {
      return string(s);
    }
    if (c instanceof Cond.HasAffix h) {
      return affix(h);
    }
    throw new IllegalArgumentException("unknown condition " + c);
  }

  /** The word of captured bits: bit i set when {@code cs.get(i)} holds. */
  public long captures(List<Cond> cs) {
    long bits = 0;
    for (int i = 0; i < cs.size(); i++) {
      bits |= (test(cs.get(i)) ? 1L : 0L) << i;
    }
    return bits;
  }

  /** Writes one side's parts of {@code k} into {@code key} at {@code off}, as {@link QueryAsm#keys} does. */
  public void keys(KeyLayout k, boolean exitSide, byte[] key, int off) {
    ByteBuffer b = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN);
    for (KeyPart p : k.side(exitSide)) {
      int at = off + p.offset();
      Arrays.fill(key, at, at + p.size(), (byte) 0);
      boolean ok = true;
      if (p.source() instanceof KeyPart.Test t) {
        b.putLong(at, test(t.cond()) ? 1 : 0);
      } else if (p.source() instanceof KeyPart.Value v) {
        OptionalLong x = scalar(v.value());
        ok = x.isPresent();
        if (ok) {
          b.putLong(at, x.getAsLong());
        }
      } else if (p.source() instanceof KeyPart.Text t) {
        OptionalLong ptr = load(t.string(), 0, 8);
        OptionalLong len = ptr.isPresent() ? load(t.string(), 8, 8) : OptionalLong.empty();
        ok = len.isPresent();
        if (ok) {
          b.putLong(at, len.getAsLong());
          int n = (int) (Long.compareUnsigned(len.getAsLong(), t.bytes()) <= 0 ? len.getAsLong() : t.bytes());
          if (n > 0) {
            var bytes = memory.read(ptr.getAsLong(), n);
            ok = bytes.isPresent();
            bytes.ifPresent(x -> System.arraycopy(x, 0, key, at + 8, n));
          }
        }
      }
      if (!ok) {
        Arrays.fill(key, at, at + p.size(), (byte) 0);
        b.putInt(off + KeyLayout.UNREADABLE, b.getInt(off + KeyLayout.UNREADABLE) | 1 << p.index());
      }
    }
  }

  private boolean compare(Cond.Compare k) {
    VType t = k.left() instanceof TExpr.Const ? k.right().type() : k.left().type();
    OptionalLong l = scalar(k.left());
    OptionalLong r = l.isPresent() ? scalar(k.right()) : OptionalLong.empty();
    if (r.isEmpty()) {
      return false;
    }
    long a = l.getAsLong();
    long b = r.getAsLong();
    if (t instanceof VType.Float f) {
      if (isNaN(a, f.size()) || isNaN(b, f.size())) {
        return k.op() == CompareOp.NE;
      }
      return Typer.holds(k.op(), Long.compareUnsigned(floatOrder(a, f.size()), floatOrder(b, f.size())));
    }
    boolean signed = t instanceof VType.Int i && i.signed();
    return Typer.holds(k.op(), signed ? Long.compare(a, b) : Long.compareUnsigned(a, b));
  }

  private static boolean isNaN(long bits, int size) {
    return size == 8 ? (bits & Long.MAX_VALUE) > 0x7ff0000000000000L : (bits & 0x7fffffffL) > 0x7f800000L;
  }

  /**
   * The key of a float's bits whose unsigned order is the float's (-0 as +0): a negative one
   * inverted, a positive one with its sign bit set. NaNs are never ordered.
   */
  static long floatOrder(long bits, int size) {
    if (size == 8) {
      if ((bits & Long.MAX_VALUE) == 0) {
        bits = 0;
      }
      return bits < 0 ? ~bits : bits | Long.MIN_VALUE;
    }
    long b = bits & 0xffffffffL;
    if ((b & 0x7fffffffL) == 0) {
      b = 0;
    }
    return (b & 0x80000000L) != 0 ? ~b & 0xffffffffL : b | 0x80000000L;
  }

  /** Word {@code k} of a literal, little-endian, zero padded. */
  static long word(Cond.Bytes lit, int k) {
    long w = 0;
    for (int i = 0; i < 8 && 8 * k + i < lit.length(); i++) {
      w |= (long) lit.at(8 * k + i) << (8 * i);
    }
    return w;
  }

  private boolean string(Cond.StrCompare s) {
    OptionalLong ptr = load(s.string(), 0, 8);
    OptionalLong len = ptr.isPresent() ? load(s.string(), 8, 8) : OptionalLong.empty();
    if (len.isEmpty()) {
      return false;
    }
    int n = s.literal().length();
    byte[] lit = s.literal().bytes();
    if (s.op() == CompareOp.EQ || s.op() == CompareOp.NE) {
      if (len.getAsLong() != n) {
        return s.op() == CompareOp.NE;
      }
      if (n == 0) {
        return s.op() == CompareOp.EQ;
      }
      var bytes = memory.read(ptr.getAsLong(), n);
      return bytes.isPresent() && Arrays.equals(bytes.get(), lit) == (s.op() == CompareOp.EQ);
    }
    int m = (int) (Long.compareUnsigned(len.getAsLong(), n) <= 0 ? len.getAsLong() : n);
    byte[] got = new byte[0];
    if (n > 0) {
      var bytes = memory.read(ptr.getAsLong(), m);
      if (bytes.isEmpty()) {
        return false;
      }
      got = bytes.get();
    }
    int cmp = Arrays.compareUnsigned(got, lit);
    if (cmp == 0 && Long.compareUnsigned(len.getAsLong(), n) > 0) {
      cmp = 1;
    }
    return Typer.holds(s.op(), Integer.signum(cmp));
  }

  private boolean affix(Cond.HasAffix h) {
    OptionalLong ptr = load(h.string(), 0, 8);
    OptionalLong len = ptr.isPresent() ? load(h.string(), 8, 8) : OptionalLong.empty();
    int n = h.literal().length();
    if (len.isEmpty() || Long.compareUnsigned(len.getAsLong(), n) < 0) {
      return false;
    }
    if (n == 0) {
      return true;
    }
    long from = h.suffix() ? ptr.getAsLong() + len.getAsLong() - n : ptr.getAsLong();
    var bytes = memory.read(from, n);
    return bytes.isPresent() && Arrays.equals(bytes.get(), h.literal().bytes());
  }

  /** A scalar as the emitted code holds it: an integer sign- or zero-extended, a float's raw bits. */
  /** {@code e}'s scalar as the emitted code loads it (sign- or zero-extended, a float's bits); empty when unreadable. */
  public Optional<Long> scalar(TExpr e, boolean boxed) {
    OptionalLong v = scalar(e);
    return v.isPresent() ? Optional.of(v.getAsLong()) : Optional.empty();
  }

  private OptionalLong scalar(TExpr e) {
    if (e instanceof TExpr.Const c) {
      return OptionalLong.of(c.bits());
    }
    if (e instanceof TExpr.Len n) {
      return load(n.access(), 8, 8);
    }
    TExpr.Load l = (TExpr.Load) e;
    VType t = l.access().type();
    OptionalLong v = load(l.access(), 0, t.size());
    if (v.isPresent() && t instanceof VType.Int i && i.signed() && i.size() < 8) {
      int shift = 64 - 8 * i.size();
      return OptionalLong.of(v.getAsLong() << shift >> shift);
    }
    return v;
  }

  /** {@code size} bytes at {@code extra} into the value of {@code a}, zero extended; empty when unreadable. */
  OptionalLong load(Access a, long extra, int size) {
    if (a.hops().isEmpty()) {
      return rootWord(a.root(), a.offset() + extra, size);
    }
    OptionalLong p = rootWord(a.root(), a.offset(), 8);
    List<Long> hops = a.hops();
    for (int i = 0; i < hops.size() && p.isPresent(); i++) {
      boolean last = i == hops.size() - 1;
      if (p.getAsLong() == 0) {
        return OptionalLong.empty();
      }
      p = readMemory(p.getAsLong() + hops.get(i) + (last ? extra : 0), last ? size : 8);
    }
    return p;
  }

  private OptionalLong rootWord(ParamLayout root, long offset, int size) {
    Piece piece = Resolver.pieceOf(root, offset, size)
        .orElseThrow(() -> new IllegalArgumentException(root.name() + " has no piece at " + offset));
    long within = offset - piece.offset();
    if (piece.where() instanceof ArgLocation.InRegister r) {
      long v = regs.getLong(r.register().ptRegsOffset()) >>> (8 * within);
      return OptionalLong.of(size == 8 ? v : v & ((1L << (8 * size)) - 1));
    }
    if (piece.where() instanceof ArgLocation.Stack s) {
      long sp = regs.getLong(arch.stackPointer().ptRegsOffset());
      return readMemory(sp + s.spOffset() + within, size);
    }
    if (piece.where() instanceof ArgLocation.Static s) {
      return readMemory(s.at(regs.getLong(arch.ptRegsPc())) + within, size);
    }
    throw new IllegalArgumentException(root.name() + " is in a floating-point register");
  }

  private OptionalLong readMemory(long address, int size) {
    return memory.read(address, size).map(b -> {
      long v = 0;
      for (int i = 0; i < size; i++) {
        v |= (long) (b[i] & 0xff) << (8 * i);
      }
      return OptionalLong.of(v);
    }).orElse(OptionalLong.empty());
  }
}
