package dev.gotrace.goelf.pclntab;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.GoBinaryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A function's FUNCDATA_ArgInfo (Go 1.17+): what the runtime's traceback prints of its
 * arguments. The compiler ({@code cmd/compile/internal/ssagen.EmitArgInfo}) writes, for each
 * input parameter in order (receiver first; a generic function's dictionary left out), each of
 * its non-aggregate components: its offset in the argument area (stack slot, or for a register
 * argument its spill slot) and its size, one byte each; 0xfe and 0xfd around an aggregate's
 * components, 0xfc where it stopped (after 10 components, or 5 levels of nesting), 0xfb for a
 * component whose offset is too large for a byte (no size follows), 0xff at the end. The runtime
 * reads it in {@code runtime/traceback.go printArgs}. A function without parameters has none.
 *
 * @param components the non-aggregate components, in order
 * @param truncated the compiler stopped listing (0xfc): there are more
 * @param argStarts for each input parameter listed, the index in {@code components} of its first
 *     component (a parameter is one component, or an aggregate's components at depth 0)
 */
public record ArgInfo(List<Component> components, boolean truncated, List<Integer> argStarts) {
  /** Longest stream the compiler writes: (maxDepth*3+2)*limit + 1. */
  static final int MAX_LEN = (5 * 3 + 2) * 10 + 1;

  /**
   * One non-aggregate component of an argument.
   *
   * @param offset its offset in the argument area, -1 when too large to be written
   * @param size its size in bytes, -1 when not written (with the offset)
   */
  public record Component(int offset, int size) {}

  public ArgInfo {
    components = List.copyOf(components);
    argStarts = List.copyOf(argStarts);
  }

  /** The components of input parameter {@code i} (of those listed), in order. */
  public List<Component> componentsOf(int i) {
    int from = argStarts.get(i);
    int to = i + 1 < argStarts.size() ? argStarts.get(i + 1) : components.size();
    return components.subList(from, to);
  }

  /** A source of the stream's bytes, one at a time. */
  @FunctionalInterface
  public interface Bytes {
    int at(int index) throws GoBinaryException;
  }

  /** Decodes the stream at {@code address} of {@code file}; {@code name} names it in errors. */
  public static ArgInfo decode(Bytes bytes, Path file, long address, String name) throws GoBinaryException {
    List<Component> out = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    boolean truncated = false;
    int depth = 0;
    for (int i = 0; i < MAX_LEN; ) {
      int b = bytes.at(i++);
      switch (b) {
        case 0xff -> {
          if (depth != 0) {
            throw new CorruptBinaryException(file, name, address + i - 1, "argument info ends inside an aggregate");
          }
          return new ArgInfo(out, truncated, starts);
        }
        case 0xfe -> {
          if (depth++ == 0) {
            starts.add(out.size());
          }
        }
        case 0xfd -> {
          if (--depth < 0) {
            throw new CorruptBinaryException(file, name, address + i - 1, "argument info closes an aggregate it did not open");
          }
        }
        case 0xfc -> truncated = true;
        case 0xfb -> {
          if (depth == 0) {
            starts.add(out.size());
          }
          out.add(new Component(-1, -1));
        }
        default -> {
          if (b > 0xfb) {
            throw new CorruptBinaryException(file, name, address + i - 1, "argument info has an unknown operator 0x"
                + Integer.toHexString(b));
          }
          int size = bytes.at(i++);
          if (depth == 0) {
            starts.add(out.size());
          }
          out.add(new Component(b, size));
        }
      }
    }
    throw new CorruptBinaryException(file, name, address + MAX_LEN, "argument info longer than the compiler writes");
  }
}
