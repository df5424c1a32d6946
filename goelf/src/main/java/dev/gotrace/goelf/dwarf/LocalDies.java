package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.dwarf.Indexer.RawInlined;
import dev.gotrace.goelf.dwarf.Indexer.RawSub;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the {@link Indexer}'s walk that finds local variables: DW_TAG_variable DIEs inside a
 * subprogram or an inlined subroutine, directly or inside DW_TAG_lexical_block DIEs (DWARF 5
 * sections 3.5 and 4.1). The walk keeps only where each variable and block is; their attributes
 * (name, type, location list, block ranges) are read by {@link LocalsIndex} for the one function
 * a line probe asks about, so that indexing costs little more than before. Variables of an
 * abstract subprogram are read at once and kept with its parameters, as the targets of the
 * DW_AT_abstract_origin of their concrete copies.
 */
final class LocalDies {
  static final int TAG_LEXICAL_BLOCK = 0x0b;
  static final int TAG_VARIABLE = 0x34;

  /** A lexical block: the function or inlined copy it is in, where its DIE is, its enclosing block. */
  record RawBlock(long owner, long offset, Unit unit, RawBlock parent) {}

  /** Where a local variable's DIE is, and its innermost block (null: the whole function or copy). */
  record RawLocal(long offset, Unit unit, RawBlock block) {}

  /** Locals by the DIE offset of their subprogram or inlined subroutine, in DIE order. */
  final Map<Long, List<RawLocal>> byOwner = new HashMap<>();

  /** Whether the DIE of {@code tag} under {@code parent} is one this part keeps. */
  static boolean claims(int tag, Object parent) {
    return (tag == TAG_LEXICAL_BLOCK || tag == TAG_VARIABLE)
        && (parent instanceof RawSub || parent instanceof RawInlined || parent instanceof RawBlock);
  }

  /** Indexes the claimed DIE at {@code r}; returns the context of its children. */
  Object visit(Indexer ix, DieReader r, Object parent) throws CorruptBinaryException {
    RawBlock block = parent instanceof RawBlock b ? b : null;
    long owner = parent instanceof RawSub sub ? sub.offset
        : parent instanceof RawInlined in ? in.offset : block.owner();
    if (r.tag() == TAG_LEXICAL_BLOCK) {
      return new RawBlock(owner, r.offset, r.unit, block);
    }
    if (parent instanceof RawSub sub && sub.lowPc == -1) {
      ix.param(r, true); // an abstract variable: what its concrete copies name as their origin
    } else {
      byOwner.computeIfAbsent(owner, k -> new ArrayList<>(4)).add(new RawLocal(r.offset, r.unit, block));
    }
    return null;
  }
}
