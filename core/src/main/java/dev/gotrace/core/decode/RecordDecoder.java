package dev.gotrace.core.decode;

import dev.gotrace.probes.maps.BpfMap;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Function;

/**
 * Raw ring-buffer records into {@link Event}s: what each command's trace spec supplies, and the
 * only part of reading a trace that differs between commands. Pure: fed recorded bytes in tests.
 * A decoder may keep state (an entry waiting for its exit); one session uses one decoder.
 */
public interface RecordDecoder {

  /** The event of one record, or empty when the record yields none (yet, or it is not ours). */
  Optional<Event> decode(ByteBuffer record);

  /**
   * Records this decoder could not use (half of a pair whose other half was lost), so far;
   * counted as lost with the kernel's drops.
   */
  default long unmatched() {
    return 0;
  }

  /**
   * Called once by a live {@code Session} after it created the spec's maps and before the first
   * record: a decoder that reads a map as records arrive (the stack map of {@code --stack}) keeps
   * it here. A replayed session does not call it.
   */
  default void useMaps(Function<String, Optional<BpfMap>> maps) {}
}
