package dev.gotrace.core.api;

import java.util.List;

/**
 * What a trace would attach, planned from the binary without touching the kernel.
 *
 * @param functions the traced functions, in plan order
 * @param probes the uprobes it attaches (entries, exits, inlined copies, lines)
 */
public record TracePlan(List<String> functions, int probes) {
  public TracePlan {
    functions = List.copyOf(functions);
  }
}
