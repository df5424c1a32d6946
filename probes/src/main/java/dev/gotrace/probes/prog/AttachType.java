package dev.gotrace.probes.prog;

/**
 * The {@code expected_attach_type} a kprobe-type program is loaded with: 0 for a perf-event
 * uprobe, 48 ({@code BPF_TRACE_UPROBE_MULTI}) for a uprobe_multi link. The kernel resolves
 * {@code bpf_get_attach_cookie} by it, so a program serves one attach mode only.
 */
public enum AttachType {
  PERF_EVENT(0), UPROBE_MULTI(48);

  private final int value;

  AttachType(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }
}
