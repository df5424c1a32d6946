package dev.gotrace.probes.ringbuf;

import java.nio.ByteBuffer;

/**
 * Receives one committed record. The buffer (native order, read-only, position 0, limit = payload
 * length) is a view of the ring and is valid only during the call: copy what you keep.
 */
@FunctionalInterface
public interface RecordHandler {
  void onRecord(ByteBuffer payload);
}
