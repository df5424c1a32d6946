package dev.gotrace.goelf.sites;

import java.util.List;

/**
 * An indirect jump recognised as a switch's jump table whose targets all lie inside the
 * function; it is not an exit.
 *
 * @param jumpAddress the indirect jump instruction
 * @param tableAddress where the table lies in the image
 * @param targets the table's entries, in order
 */
public record JumpTable(long jumpAddress, long tableAddress, List<Long> targets) {
  public JumpTable {
    targets = List.copyOf(targets);
  }
}
