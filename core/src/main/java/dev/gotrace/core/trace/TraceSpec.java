package dev.gotrace.core.trace;

import dev.gotrace.core.decode.RecordDecoder;
import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.maps.MapSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything one trace needs, as a value and before anything touches the kernel: the maps to
 * create, the programs (assembler values, golden-tested) with the probes each attaches to and the
 * maps each uses, the ring buffer the events come through, and how its records become
 * {@link dev.gotrace.core.decode.Event}s. Each command's planner output turns into one (see
 * {@code dev.gotrace.core.spec}); a {@link Session} runs any of them.
 *
 * @param binary the file the probes go into (what the plan was made from)
 * @param maps every map, created in this order; the ring buffer's events map is one of them
 * @param programs loaded in this order and attached in this order (put exits before entries: a
 *     call whose entry probe is in place is then always seen ending)
 * @param ring the ring buffer the programs write events into; empty when nothing is streamed
 *     (the trace is read only through map snapshots)
 * @param decoders a fresh decoder per session (decoders may keep state)
 * @param announceLost whether new losses appear in the event stream as
 *     {@link dev.gotrace.core.decode.Event.Lost} (otherwise the command reports {@link Session#lost()})
 */
public record TraceSpec(Path binary, List<MapSpec> maps, List<Probes> programs, Optional<Ring> ring,
    Supplier<RecordDecoder> decoders, boolean announceLost) {

  public TraceSpec {
    maps = List.copyOf(maps);
    programs = List.copyOf(programs);
    List<String> names = new java.util.ArrayList<>(maps.stream().map(MapSpec::name).toList());
    ring.ifPresent(r -> names.add(r.drops()));
    for (Probes p : programs) {
      for (String m : p.maps()) {
        if (!names.contains(m)) {
          throw new IllegalArgumentException("program " + p.name() + " uses map " + m + ", which the spec lacks");
        }
      }
    }
    if (ring.isPresent() && maps.stream().noneMatch(s -> s.name().equals(ring.get().events()))) {
      throw new IllegalArgumentException("ring buffer map " + ring.get().events() + " is not among the maps");
    }
  }

  /**
   * The common shape: one program on {@code probes}, writing events into the ring buffer
   * {@code events} ({@code ringBytes} long) and counting drops in {@code drops}; losses are
   * announced in the stream.
   */
  public static TraceSpec streaming(Path binary, String name, Program program, List<AttachCheck.Probe> probes,
      String events, String drops, int ringBytes, Supplier<RecordDecoder> decoders) {
    return new TraceSpec(binary, List.of(MapSpec.ringBuf(events, ringBytes)),
        List.of(new Probes(name, program, List.of(events, drops), probes)), Optional.of(new Ring(events, drops)),
        decoders, true);
  }

  /**
   * One program and where it goes.
   *
   * @param name the kernel's name for it (at most 15 characters)
   * @param maps the maps it refers to, by the names the program uses
   * @param probes its sites with their cookies, checked against the binary again just before
   *     attaching ({@link AttachCheck})
   */
  public record Probes(String name, Program program, List<String> maps, List<AttachCheck.Probe> probes) {
    public Probes {
      maps = List.copyOf(maps);
      probes = List.copyOf(probes);
    }
  }

  /**
   * The events ring buffer and its drop counter.
   *
   * @param events the ring buffer map (one of the spec's maps)
   * @param drops the per-CPU drop counter the programs increment, created by the session
   */
  public record Ring(String events, String drops) {}
}
