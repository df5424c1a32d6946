package dev.gotrace.probes.asm;

/** A jump target: names the instruction that follows it. */
public record Label(String name) implements Item {
  public Label {
    if (name == null || name.isEmpty()) {
      throw new AsmException("empty label name");
    }
  }
}
