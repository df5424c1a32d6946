package dev.gotrace.core.spec;

import dev.gotrace.core.codegen.StackAsm;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.RecordDecoder;
import dev.gotrace.core.stack.StackTable;
import dev.gotrace.probes.maps.BpfMap;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Function;

/**
 * A command's decoder with {@code --stack}: {@code inner} decodes, resolving stack ids through
 * {@code table}, which reads map {@link StackAsm#STACKS} of the session once it exists.
 */
final class StackDecoder implements RecordDecoder {
  private final StackTable table;
  private final RecordDecoder inner;

  StackDecoder(StackTable table, RecordDecoder inner) {
    this.table = table;
    this.inner = inner;
  }

  @Override
  public Optional<Event> decode(ByteBuffer record) {
    return inner.decode(record);
  }

  @Override
  public long unmatched() {
    return inner.unmatched();
  }

  @Override
  public void useMaps(Function<String, Optional<BpfMap>> maps) {
    maps.apply(StackAsm.STACKS).ifPresent(m -> table.use(id -> m.lookup(StackTable.key(id))));
    inner.useMaps(maps);
  }
}
