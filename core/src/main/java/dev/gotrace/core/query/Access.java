package dev.gotrace.core.query;

import dev.gotrace.core.abi.ParamLayout;
import java.util.List;

/**
 * Where a value is at the probe, as a fixed chain of reads resolved at plan time. Without {@code
 * hops}, the value is the bytes {@code [offset, offset + type.size())} of {@code root} (in its
 * registers or stack slots). With hops, the 8 bytes of {@code root} at {@code offset} are a
 * pointer p; then for each hop h: the address is {@code p + h}; before the last hop the 8 bytes
 * there are the next p, at the last the value. A nil p, or a read that faults, makes the value
 * unreadable: a condition on it is false, a key part {@link KeyValue.Unreadable}.
 *
 * @param text the path as written ("r.URL.Path")
 * @param at its offset in the expression's text
 * @param root the parameter or result the path starts at
 * @param offset the byte offset in the root's value of the value (no hops) or of the first pointer
 * @param hops the offsets after each pointer read, at most {@link #MAX_POINTER_READS}
 * @param type what the value is
 * @param goType its Go type's name, for messages ("*http.Request")
 */
public record Access(String text, int at, ParamLayout root, long offset, List<Long> hops, VType type, String goType) {
  /** The most pointer reads on a path. */
  public static final int MAX_POINTER_READS = 8;

  public Access {
    hops = List.copyOf(hops);
    if (hops.size() > MAX_POINTER_READS) {
      throw new IllegalArgumentException("more than " + MAX_POINTER_READS + " pointer reads");
    }
  }

  /** Whether it starts at a result (known only at a return). */
  public boolean result() {
    return root.result();
  }
}
