package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.dwarf.Indexer.RawInlined;
import dev.gotrace.goelf.dwarf.Indexer.RawParam;
import dev.gotrace.goelf.dwarf.Indexer.RawSub;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the {@link Indexer}'s walk that keeps local variables: DW_TAG_variable DIEs inside a
 * subprogram or an inlined subroutine, directly or inside DW_TAG_lexical_block DIEs (DWARF 5
 * sections 3.5 and 4.1), each with the address ranges of its innermost block, which is where the
 * name is in scope. Variables of an abstract subprogram are kept by offset with its parameters,
 * as the targets of the DW_AT_abstract_origin of their concrete copies.
 */
final class LocalDies {
  static final int TAG_LEXICAL_BLOCK = 0x0b;
  static final int TAG_VARIABLE = 0x34;

  /** A lexical block: the function or inlined copy it is in, and its ranges. */
  record RawBlock(long owner, List<long[]> ranges) {}

  /** A local variable; {@code scope} null: the whole function or copy. */
  record RawLocal(RawParam variable, List<long[]> scope) {}

  /** Locals by the DIE offset of their subprogram or inlined subroutine, in DIE order. */
  final Map<Long, List<RawLocal>> byOwner = new HashMap<>();

  /** Whether the DIE of {@code tag} under {@code parent} is one this part keeps. */
  static boolean claims(int tag, Object parent) {
    return (tag == TAG_LEXICAL_BLOCK || tag == TAG_VARIABLE)
        && (parent instanceof RawSub || parent instanceof RawInlined || parent instanceof RawBlock);
  }

  /** Indexes the claimed DIE at {@code r}; returns the context of its children. */
  Object visit(Indexer ix, DwarfSections s, DieReader r, Object parent) throws CorruptBinaryException {
    long owner = parent instanceof RawSub sub ? sub.offset
        : parent instanceof RawInlined in ? in.offset : ((RawBlock) parent).owner();
    List<long[]> scope = parent instanceof RawBlock b ? b.ranges() : null;
    if (r.tag() == TAG_LEXICAL_BLOCK) {
      long low = r.address(Dw.AT_LOW_PC);
      List<long[]> ranges = low != -1 ? List.of(new long[] {low, Indexer.highPc(r, low)})
          : r.has(Dw.AT_RANGES) ? Ranges.of(s, r) : scope; // a block without addresses: its parent's
      return new RawBlock(owner, ranges);
    }
    boolean abstractSub = parent instanceof RawSub sub && sub.lowPc == -1;
    RawParam v = ix.param(r, abstractSub);
    byOwner.computeIfAbsent(owner, k -> new ArrayList<>(4)).add(new RawLocal(v, scope));
    return null;
  }
}
