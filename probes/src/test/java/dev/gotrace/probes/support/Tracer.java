package dev.gotrace.probes.support;

import dev.gotrace.probes.link.AttachMode;
import dev.gotrace.probes.link.UprobeLink;
import dev.gotrace.probes.link.UprobeSite;
import dev.gotrace.probes.link.Uprobes;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.Codec;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.maps.TypedMap;
import dev.gotrace.probes.maps.UpdateFlag;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.ringbuf.DropCounter;
import dev.gotrace.probes.ringbuf.RingBufReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test harness: the {@link TestPrograms#countAndRecord} program with its maps, loaded for one
 * attach mode and attached to sites of one binary; owns everything it creates.
 */
public final class Tracer implements AutoCloseable {
  /** One ring-buffer record. */
  public record Rec(long cookie, int tgid, int tid) {}

  private final BpfMap counts;
  private final BpfMap events;
  private final DropCounter drops;
  private final LoadedProgram prog;
  private final RingBufReader reader;
  private UprobeLink link;
  private final List<Rec> records = new ArrayList<>();

  public Tracer(AttachMode mode, Path binary, List<UprobeSite> sites, int pid, int ringBytes) {
    BpfMap c = null;
    BpfMap e = null;
    DropCounter d = null;
    LoadedProgram p = null;
    RingBufReader r = null;
    try {
      c = BpfMap.create(MapSpec.hash("counts", 8, 8, 1024));
      e = BpfMap.create(MapSpec.ringBuf("events", ringBytes));
      d = DropCounter.create("drops");
      TypedMap<Long, Long> tc = c.typed(Codec.U64, Codec.U64);
      for (UprobeSite s : sites) {
        tc.update(s.cookie(), 0L, UpdateFlag.ANY);
      }
      p = LoadedProgram.load("count_rec", TestPrograms.countAndRecord(ringBytes), mode.attachType(),
          Map.of("counts", c, "events", e, "drops", d.map()));
      r = RingBufReader.open(e, d);
      link = Uprobes.attach(p, binary, sites, pid);
    } catch (RuntimeException ex) {
      for (AutoCloseable x : new AutoCloseable[] {r, p, d, e, c}) {
        if (x != null) {
          try {
            x.close();
          } catch (Exception s) {
            ex.addSuppressed(s);
          }
        }
      }
      throw ex;
    }
    counts = c;
    events = e;
    drops = d;
    prog = p;
    reader = r;
  }

  /** Hits counted in the kernel for {@code cookie}. */
  public long count(long cookie) {
    return counts.typed(Codec.U64, Codec.U64).lookup(cookie).orElse(-1L);
  }

  /** Drains the ring buffer into {@link #records()}; returns how many arrived. */
  public int drain() {
    return reader.drain(this::take);
  }

  /** Polls with a timeout. */
  public int poll(int timeoutMs) {
    return reader.poll(timeoutMs, this::take);
  }

  private void take(ByteBuffer b) {
    long pidTgid = b.getLong(8);
    records.add(new Rec(b.getLong(0), (int) (pidTgid >>> 32), (int) pidTgid));
  }

  public List<Rec> records() {
    return records;
  }

  public RingBufReader reader() {
    return reader;
  }

  public long drops() {
    return reader.drops();
  }

  public UprobeLink link() {
    return link;
  }

  /** Detaches, keeping maps and reader open. */
  public void detach() {
    if (link != null) {
      link.close();
      link = null;
    }
  }

  @Override
  public void close() {
    detach();
    reader.close();
    prog.close();
    drops.close();
    events.close();
    counts.close();
  }
}
