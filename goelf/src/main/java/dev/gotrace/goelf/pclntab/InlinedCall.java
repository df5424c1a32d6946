package dev.gotrace.goelf.pclntab;

import java.util.List;
import java.util.Optional;

/**
 * One copy of a function inlined into a physical function: one entry of that function's inline
 * tree, with the PCs that belong to it.
 *
 * @param outer the physical function holding the code, e.g. {@code main.main}
 * @param index index in the outer function's inline tree
 * @param function the inlined function, e.g. {@code main.add}
 * @param funcID the inlined function's funcID
 * @param parent index of the inline-tree entry it was inlined into, -1 when inlined directly
 *     into {@code outer}
 * @param caller the function containing the call: the parent entry's function, or {@code outer}
 * @param parentPc address of an instruction whose source position is the call site
 * @param callSite file:line of the call, when known
 * @param ranges the PCs of this copy, including those of calls inlined further into it, merged
 *     and sorted
 */
public record InlinedCall(
    String outer, int index, String function, int funcID, int parent, String caller,
    long parentPc, Optional<SourcePos> callSite, List<PcRange> ranges) {}
