package dev.gotrace.probes.asm;

/**
 * The BPF helper functions gotrace calls, by id ({@code ___BPF_FUNC_MAPPER} in linux/bpf.h).
 * {@code gplOnly} marks helpers refused to programs without a GPL-compatible licence.
 */
public enum Helper {
  MAP_LOOKUP_ELEM(1, false),
  MAP_UPDATE_ELEM(2, false),
  MAP_DELETE_ELEM(3, false),
  KTIME_GET_NS(5, false),
  TRACE_PRINTK(6, true),
  GET_SMP_PROCESSOR_ID(8, false),
  GET_CURRENT_PID_TGID(14, false),
  GET_CURRENT_COMM(16, false),
  PERF_EVENT_OUTPUT(25, true),
  GET_CURRENT_TASK(35, true),
  PROBE_READ_USER(112, true),
  PROBE_READ_KERNEL(113, true),
  PROBE_READ_USER_STR(114, true),
  PROBE_READ_KERNEL_STR(115, true),
  RINGBUF_OUTPUT(130, false),
  RINGBUF_RESERVE(131, false),
  RINGBUF_SUBMIT(132, false),
  RINGBUF_DISCARD(133, false),
  RINGBUF_QUERY(134, false),
  GET_FUNC_IP(173, true),
  GET_ATTACH_COOKIE(174, false);

  private final int id;
  private final boolean gplOnly;

  Helper(int id, boolean gplOnly) {
    this.id = id;
    this.gplOnly = gplOnly;
  }

  /** The helper id placed in the imm field of a call. */
  public int id() {
    return id;
  }

  /** Whether the kernel refuses this helper to a program without a GPL-compatible licence. */
  public boolean gplOnly() {
    return gplOnly;
  }

  /** The kernel's name, e.g. {@code bpf_ringbuf_reserve}. */
  public String kernelName() {
    return "bpf_" + name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The helper with {@code id}, or null. */
  public static Helper byId(int id) {
    for (Helper h : values()) {
      if (h.id == id) {
        return h;
      }
    }
    return null;
  }
}
