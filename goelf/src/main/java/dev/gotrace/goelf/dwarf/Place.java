package dev.gotrace.goelf.dwarf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A DWARF location expression decoded as far as gotrace needs (DWARF 5 section 2.6.1): a
 * register, an offset from the canonical frame address (Go's stack-passed arguments: CFA + n,
 * written as DW_OP_call_frame_cfa [DW_OP_consts n DW_OP_plus] or DW_OP_fbreg n with Go's frame
 * base being the CFA), or pieces of those. Anything else is {@link Unsupported}, with its bytes.
 * Register numbers are DWARF's (amd64: 0 = RAX, 3 = RBX; arm64: 0 = X0).
 */
public sealed interface Place {
  /** The value is in DWARF register {@code dwarfRegister}. */
  record Register(int dwarfRegister) implements Place {}

  /** The value is in memory at CFA + {@code offset}. */
  record CfaOffset(long offset) implements Place {}

  /** The value is split in pieces, lowest bytes first; an empty place means optimized out. */
  record Pieces(List<Piece> pieces) implements Place {
    public Pieces {
      pieces = List.copyOf(pieces);
    }
  }

  /** {@code size} bytes of a value held in {@code place}. */
  record Piece(long size, Optional<Place> place) {}

  /** An expression this decoder does not simplify. */
  record Unsupported(String why) implements Place {}

  /** Decodes {@code expr}; never throws: malformed bytes give {@link Unsupported}. */
  static Place decode(byte[] expr) {
    List<Piece> pieces = new ArrayList<>();
    Place current = null;
    int[] pos = {0};
    try {
      while (pos[0] < expr.length) {
        int op = expr[pos[0]++] & 0xff;
        if (op >= Dw.OP_REG0 && op <= Dw.OP_REG31) {
          current = new Register(op - Dw.OP_REG0);
        } else if (op == Dw.OP_REGX) {
          current = new Register((int) Math.min(uleb(expr, pos), Integer.MAX_VALUE));
        } else if (op == Dw.OP_CALL_FRAME_CFA) {
          current = new CfaOffset(0);
        } else if (op == Dw.OP_FBREG) {
          current = new CfaOffset(sleb(expr, pos));
        } else if (op == Dw.OP_CONSTS || op == Dw.OP_CONSTU) {
          long n = op == Dw.OP_CONSTS ? sleb(expr, pos) : uleb(expr, pos);
          if (!(current instanceof CfaOffset cfa) || pos[0] >= expr.length
              || (expr[pos[0]++] & 0xff) != Dw.OP_PLUS) {
            return new Unsupported("constant not added to the CFA");
          }
          current = new CfaOffset(cfa.offset() + n);
        } else if (op == Dw.OP_PLUS_UCONST) {
          long n = uleb(expr, pos);
          if (!(current instanceof CfaOffset cfa)) {
            return new Unsupported("DW_OP_plus_uconst not applied to the CFA");
          }
          current = new CfaOffset(cfa.offset() + n);
        } else if (op == Dw.OP_PIECE) {
          pieces.add(new Piece(uleb(expr, pos), Optional.ofNullable(current)));
          current = null;
        } else {
          return new Unsupported("operation 0x" + Integer.toHexString(op));
        }
      }
    } catch (IndexOutOfBoundsException e) {
      return new Unsupported("truncated expression");
    }
    if (!pieces.isEmpty()) {
      return current == null ? new Pieces(pieces) : new Unsupported("operation after the last piece");
    }
    return current == null ? new Unsupported("empty expression") : current;
  }

  private static long uleb(byte[] b, int[] pos) {
    long r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int x = b[pos[0]++] & 0xff;
      r |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return r;
      }
    }
    throw new IndexOutOfBoundsException("LEB128 too long");
  }

  private static long sleb(byte[] b, int[] pos) {
    long r = 0;
    int shift = 0;
    int x;
    do {
      if (shift >= 64) {
        throw new IndexOutOfBoundsException("LEB128 too long");
      }
      x = b[pos[0]++] & 0xff;
      r |= (long) (x & 0x7f) << shift;
      shift += 7;
    } while ((x & 0x80) != 0);
    if (shift < 64 && (x & 0x40) != 0) {
      r |= -1L << shift;
    }
    return r;
  }
}
