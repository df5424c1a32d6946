package dev.gotrace.core.query;

import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.Label;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tidies an emitted block until nothing changes: drops what no path reaches (the verifier
 * refuses unreachable instructions), jumps to the next instruction, and turns {@code if c goto
 * L1; goto L2; L1:} into {@code if !c goto L2; L1:} (one instruction fewer on every path). The
 * block's end, and labels outside it, count as reached.
 */
final class Peephole {
  /** A conditional jump's operation and its negation ({@code linux/bpf.h} BPF_JEQ …). */
  private static final Map<Integer, Integer> NEGATION = Map.of(0x10, 0x50, 0x50, 0x10, 0x20, 0xb0, 0xb0, 0x20,
      0x30, 0xa0, 0xa0, 0x30, 0x60, 0xd0, 0xd0, 0x60, 0x70, 0xc0, 0xc0, 0x70);

  private Peephole() {}

  static List<Item> clean(List<Item> code) {
    List<Item> items = new ArrayList<>(code);
    while (true) {
      List<Item> next = invert(dropJumpsToNext(reachable(items)));
      if (next.equals(items)) {
        return List.copyOf(next);
      }
      items = next;
    }
  }

  private static boolean isJa(Item it) {
    return it instanceof Insn in && in.opcode() == Insn.JMP && in.target() != null; // JA: class JMP, op 0, K
  }

  private static boolean isConditional(Item it) {
    return it instanceof Insn in && in.target() != null && (in.opcode() & 0x07) == Insn.JMP
        && NEGATION.containsKey(in.opcode() & 0xf0);
  }

  /**
   * Whether a path through {@code items} (already cleaned) reaches its end, so that the code of
   * the program after the block is reached.
   */
  static boolean fallsThrough(List<Item> items) {
    return reached(items)[items.size()];
  }

  private static List<Item> reachable(List<Item> items) {
    boolean[] reached = reached(items);
    List<Item> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (reached[i]) {
        out.add(items.get(i));
      }
    }
    return out;
  }

  /** Which items a path from the first reaches; the last slot is the block's end. */
  private static boolean[] reached(List<Item> items) {
    Map<String, Integer> at = labels(items);
    boolean[] reached = new boolean[items.size() + 1];
    ArrayDeque<Integer> work = new ArrayDeque<>(List.of(0));
    while (!work.isEmpty()) {
      int i = work.pop();
      if (i > items.size() || reached[i]) {
        continue;
      }
      reached[i] = true;
      if (i == items.size()) {
        continue;
      }
      Item it = items.get(i);
      if (it instanceof Insn in && in.target() != null && at.containsKey(in.target())) {
        work.push(at.get(in.target()));
      }
      if (!(isJa(it) || (it instanceof Insn in && in.opcode() == (Insn.JMP | Insn.EXIT)))) {
        work.push(i + 1);
      }
    }
    return reached;
  }

  private static List<Item> dropJumpsToNext(List<Item> items) {
    List<Item> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (isJa(items.get(i)) && labelsAfter(items, i).contains(((Insn) items.get(i)).target())) {
        continue;
      }
      out.add(items.get(i));
    }
    return out;
  }

  private static List<Item> invert(List<Item> items) {
    List<Item> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Item it = items.get(i);
      if (isConditional(it) && i + 1 < items.size() && isJa(items.get(i + 1))
          && labelsAfter(items, i + 1).contains(((Insn) it).target())) {
        Insn c = (Insn) it;
        Insn j = (Insn) items.get(i + 1);
        int op = NEGATION.get(c.opcode() & 0xf0);
        out.add(new Insn((c.opcode() & 0x0f) | op, c.dst(), c.src(), c.off(), c.imm(), j.target(), c.map()));
        i++;
        continue;
      }
      out.add(it);
    }
    return out;
  }

  /** The labels right after item {@code i}. */
  private static List<String> labelsAfter(List<Item> items, int i) {
    List<String> out = new ArrayList<>();
    for (int k = i + 1; k < items.size() && items.get(k) instanceof Label l; k++) {
      out.add(l.name());
    }
    return out;
  }

  private static Map<String, Integer> labels(List<Item> items) {
    Map<String, Integer> at = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof Label l) {
        at.put(l.name(), i);
      }
    }
    return at;
  }
}
