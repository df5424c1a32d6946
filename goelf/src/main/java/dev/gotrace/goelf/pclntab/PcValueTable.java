package dev.gotrace.goelf.pclntab;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoder of pc-value tables (runtime/symtab.go {@code step}, {@code pcvalue}): a sequence of
 * (value delta, pc delta) pairs of unsigned varints; the value delta is zig-zag encoded, the pc
 * delta is multiplied by the pc quantum (1 on x86, 4 on arm64). The value starts at -1 and the pc
 * at the function entry; a zero value delta after the first pair ends the table.
 */
final class PcValueTable {
  private PcValueTable() {}

  /** All runs of the table at {@code off}, clipped to {@code [entry, end)}. */
  static List<PcRun> decode(ByteCursor tab, long off, long entry, long end, int quantum)
      throws CorruptBinaryException {
    List<PcRun> out = new ArrayList<>();
    ByteCursor c = tab.duplicate().seek(off);
    long pc = entry;
    int val = -1;
    boolean first = true;
    while (Long.compareUnsigned(pc, end) < 0) {
      long uv = c.uvarint32();
      if (uv == 0 && !first) {
        break;
      }
      first = false;
      int delta = (uv & 1) != 0 ? ~(int) (uv >>> 1) : (int) (uv >>> 1);
      val += delta;
      long pcDelta = c.uvarint32() * quantum;
      long next = pc + pcDelta;
      if (pcDelta == 0) {
        continue;
      }
      out.add(new PcRun(pc, Long.compareUnsigned(next, end) > 0 ? end : next, val));
      pc = next;
    }
    return out;
  }

  /** The value at {@code pc}, or -1 when the table does not cover it. */
  static int valueAt(ByteCursor tab, long off, long entry, long end, int quantum, long pc)
      throws CorruptBinaryException {
    ByteCursor c = tab.duplicate().seek(off);
    long at = entry;
    int val = -1;
    boolean first = true;
    while (Long.compareUnsigned(at, end) < 0) {
      long uv = c.uvarint32();
      if (uv == 0 && !first) {
        return -1;
      }
      first = false;
      val += (uv & 1) != 0 ? ~(int) (uv >>> 1) : (int) (uv >>> 1);
      at += c.uvarint32() * quantum;
      if (Long.compareUnsigned(pc, at) < 0) {
        return val;
      }
    }
    return -1;
  }
}
