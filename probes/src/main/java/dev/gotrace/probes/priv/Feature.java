package dev.gotrace.probes.priv;

/**
 * A kernel feature gotrace uses, with the kernel that first has it (per {@code
 * shared/reference/kernel.md} sections 1.4 and 7). Messages are built from these values, so a
 * caller decides by the feature, never by the text.
 */
public enum Feature {
  UPROBE_MULTI("uprobe_multi links", "not supported", "Linux >= 6.6"),
  UPROBE_PMU("uprobe perf events", "not supported", "Linux >= 4.17 with CONFIG_UPROBE_EVENTS"),
  VMLINUX_BTF("kernel BTF", "not available", "Linux >= 5.4 built with CONFIG_DEBUG_INFO_BTF"),
  RING_BUFFER("BPF ring buffers", "not supported", "Linux >= 5.8");

  private final String title;
  private final String absent;
  private final String requires;

  Feature(String title, String absent, String requires) {
    this.title = title;
    this.absent = absent;
    this.requires = requires;
  }

  /** What the feature is called in messages: "uprobe_multi links". */
  public String title() {
    return title;
  }

  /** The minimum kernel (and configuration) that has it: "Linux >= 6.6". */
  public String requires() {
    return requires;
  }

  /** How its absence is said: "not supported". */
  String absentVerb() {
    return absent;
  }
}
