package dev.gotrace.probes.asm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable eBPF program listing (instructions and labels). {@link #encode} resolves labels to
 * jump offsets (target = pc + 1 + off, counted in 8-byte slots) and map names to file
 * descriptors; a missing or duplicate label, or a jump beyond 16 bits, is an AsmException.
 */
public record Program(List<Item> items) {
  public Program {
    items = List.copyOf(items);
  }

  /** A program of {@code items}. */
  public static Program of(Item... items) {
    return new Program(List.of(items));
  }

  /** The names of the maps this program references, in order of first use. */
  public Set<String> mapNames() {
    Set<String> out = new LinkedHashSet<>();
    for (Item it : items) {
      if (it instanceof Insn i && i.map() != null) {
        out.add(i.map());
      }
    }
    return out;
  }

  /** Number of 8-byte instruction slots (LD_IMM64 counts two). */
  public int slots() {
    int n = 0;
    for (Item it : items) {
      if (it instanceof Insn i) {
        n += i.slots();
      }
    }
    return n;
  }

  /**
   * Encodes to kernel bytes. {@code mapFds} maps every referenced map name to its fd; a name
   * missing from it is an error.
   */
  public Encoded encode(Map<String, Integer> mapFds) {
    Map<String, Integer> labelSlot = new HashMap<>();
    int slot = 0;
    String pending = null;
    for (Item it : items) {
      if (it instanceof Label l) {
        if (labelSlot.putIfAbsent(l.name(), slot) != null) {
          throw new AsmException("duplicate label '" + l.name() + "'");
        }
        pending = l.name();
      } else {
        slot += ((Insn) it).slots();
        pending = null;
      }
    }
    if (pending != null) {
      throw new AsmException("label '" + pending + "' is at the end of the program, before no instruction");
    }
    ByteBuffer out = ByteBuffer.allocate(slot * 8).order(ByteOrder.LITTLE_ENDIAN);
    Map<Integer, String> labels = new TreeMap<>();
    Map<Integer, String> maps = new TreeMap<>();
    labelSlot.forEach((name, at) -> labels.merge(at, name, (a, b) -> a + ", " + b));
    int pc = 0;
    for (Item it : items) {
      if (!(it instanceof Insn i)) {
        continue;
      }
      int off = i.off();
      long imm = i.imm();
      if (i.target() != null) {
        Integer to = labelSlot.get(i.target());
        if (to == null) {
          throw new AsmException("jump at " + pc + " to missing label '" + i.target() + "'");
        }
        off = to - (pc + 1);
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
          throw new AsmException("jump at " + pc + " to '" + i.target() + "' out of 16-bit range");
        }
      }
      if (i.map() != null) {
        Integer fd = mapFds.get(i.map());
        if (fd == null) {
          throw new AsmException("instruction " + pc + " references unknown map '" + i.map() + "'");
        }
        imm = fd;
        maps.put(pc, i.map());
      }
      out.put((byte) i.opcode());
      out.put((byte) ((i.src() << 4) | i.dst()));
      out.putShort((short) off);
      out.putInt((int) imm);
      if (i.slots() == 2) {
        out.put(new byte[4]);
        out.putInt((int) (imm >>> 32));
      }
      pc += i.slots();
    }
    return new Encoded(out.array(), labels, maps);
  }

  /** Encodes with every referenced map given fd 0 (for listings and tests). */
  public Encoded encodeForListing() {
    Map<String, Integer> zero = new HashMap<>();
    for (String m : mapNames()) {
      zero.put(m, 0);
    }
    return encode(zero);
  }

  /** Builds a program item by item. */
  public static Builder builder() {
    return new Builder();
  }

  /** Accumulates items; {@link #build()} makes the immutable Program. */
  public static final class Builder {
    private final List<Item> items = new ArrayList<>();

    public Builder add(Item... more) {
      items.addAll(List.of(more));
      return this;
    }

    public Builder addAll(List<? extends Item> more) {
      items.addAll(more);
      return this;
    }

    public Builder label(String name) {
      items.add(new Label(name));
      return this;
    }

    public Program build() {
      return new Program(items);
    }
  }

  /**
   * Encoded instructions plus what a listing needs: label names by slot and map names by the
   * slot of their LD_IMM64.
   */
  public record Encoded(byte[] code, Map<Integer, String> labels, Map<Integer, String> maps) {
    public Encoded {
      code = code.clone();
      labels = Map.copyOf(labels);
      maps = Map.copyOf(maps);
    }

    @Override
    public byte[] code() {
      return code.clone();
    }

    public int slots() {
      return code.length / 8;
    }
  }
}
