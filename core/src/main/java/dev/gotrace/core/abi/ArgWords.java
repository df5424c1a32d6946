package dev.gotrace.core.abi;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.arch.Register;
import dev.gotrace.goelf.pclntab.ArgInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the inputs of a register-ABI function are without DWARF, from the pclntab's argument
 * info alone: each component of the inputs the info lists takes the next integer argument
 * register, in order (a generic function's dictionary, which the info leaves out, takes the
 * first). The registers stop at the first component whose offset is below the one before
 * (register arguments have spill slots above every stack argument, so that component and the
 * rest are on the stack), at a size that is not 1, 2, 4 or 8, or when the registers run out. A
 * float component would take a floating-point register instead, which the info does not tell:
 * the words are right for functions whose inputs are integers, pointers, strings and the like.
 *
 * @param params for each input parameter whose every component is in a register, its pieces
 *     (offsets within the parameter), in order; the first parameter not placed ends the list
 * @param words every placed component in order, one piece each (offset 0)
 * @param listed how many components the info lists
 * @param truncated the info itself stopped listing (there are more)
 */
public record ArgWords(List<List<Piece>> params, List<Piece> words, int listed, boolean truncated) {
  public ArgWords {
    params = params.stream().map(List::copyOf).toList();
    words = List.copyOf(words);
  }

  /** The words of {@code info} ({@code dictionary}: the function is a generic instance "[...]"). */
  public static ArgWords registers(Arch arch, Optional<ArgInfo> info, boolean dictionary) {
    List<Register> regs = arch.intArgRegisters();
    int first = dictionary ? 1 : 0; // ssagen.EmitArgInfo skips the dictionary
    List<ArgInfo.Component> cs = info.map(ArgInfo::components).orElse(List.of());
    List<Piece> words = new ArrayList<>();
    int previous = -1;
    for (ArgInfo.Component c : cs) {
      int size = c.size();
      if (first + words.size() >= regs.size() || c.offset() < previous
          || !(size == 1 || size == 2 || size == 4 || size == 8)) {
        break;
      }
      previous = c.offset();
      words.add(new Piece(0, size, new ArgLocation.InRegister(regs.get(first + words.size()))));
    }
    List<List<Piece>> params = new ArrayList<>();
    if (info.isPresent()) {
      ArgInfo a = info.get();
      for (int i = 0; i < a.argStarts().size(); i++) {
        int from = a.argStarts().get(i);
        List<ArgInfo.Component> own = a.componentsOf(i);
        if (from + own.size() > words.size() || (a.truncated() && i == a.argStarts().size() - 1)) {
          break; // not every component placed (or the info was cut inside it)
        }
        List<Piece> pieces = new ArrayList<>();
        for (int k = 0; k < own.size(); k++) {
          Piece w = words.get(from + k);
          pieces.add(new Piece(own.get(k).offset() - own.get(0).offset(), w.size(), w.where()));
        }
        params.add(pieces);
      }
    }
    return new ArgWords(params, words, cs.size(), info.map(ArgInfo::truncated).orElse(false));
  }
}
