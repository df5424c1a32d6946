package dev.gotrace.core.plan;

import dev.gotrace.goelf.sites.ExitSite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything needed to attach latency probes to one binary.
 *
 * @param binary the file the uprobes are attached to
 * @param g how a probe reaches the current {@code g}
 * @param stackHiOffset the offset of {@code g.stack.hi}
 * @param goidOffset the offset of {@code g.goid}
 * @param functions the traced functions; a function's index is the cookie of its entry probe and
 *     of each of its exit probes
 * @param notes things the user should know that do not stop tracing
 * @param query {@code --where} and {@code --by} compiled for each function; empty without them
 */
public record LatencyPlan(Path binary, GAccess g, long stackHiOffset, long goidOffset, List<Function> functions,
    List<Note> notes, Optional<LatencyQuery> query) {

  /** A plan without {@code --where} or {@code --by}. */
  public LatencyPlan(Path binary, GAccess g, long stackHiOffset, long goidOffset, List<Function> functions,
      List<Note> notes) {
    this(binary, g, stackHiOffset, goidOffset, functions, notes, Optional.empty());
  }

  public LatencyPlan {
    functions = List.copyOf(functions);
    notes = List.copyOf(notes);
    if (query.isPresent() && query.get().groupOf().size() != functions.size()) {
      throw new IllegalArgumentException(query.get().groupOf().size() + " query groups for " + functions.size()
          + " functions");
    }
    for (int i = 0; i < functions.size(); i++) {
      if (functions.get(i).index() != i) {
        throw new IllegalArgumentException("function " + i + " has index " + functions.get(i).index());
      }
    }
  }

  /**
   * One traced function.
   *
   * @param index its position in {@link LatencyPlan#functions()}
   * @param name its full Go name
   * @param entry the probe after the stack check
   * @param exits one probe per exit instruction, ascending by address
   */
  public record Function(int index, String name, Site entry, List<Exit> exits) {
    public Function {
      exits = List.copyOf(exits);
    }
  }

  /**
   * A probe address.
   *
   * @param address link-time virtual address
   * @param fileOffset the address as an offset in the file, what uprobes take
   */
  public record Site(long address, long fileOffset) {}

  /** An exit probe and the kind of instruction it sits on. */
  public record Exit(Site site, ExitSite.Kind kind) {}

  /** What the entry program is attached to: each function's entry, its cookie the function's index. */
  public List<AttachCheck.Probe> entryProbes() {
    return functions.stream().map(f -> new AttachCheck.Probe("the entry probe of " + f.name(), f.entry().address(),
        f.entry().fileOffset(), f.index() | group(f))).toList();
  }

  /**
   * What the exit program is attached to: every exit of every function, its cookie the function's
   * index in the low 32 bits and the exit's position in {@link #exitsInOrder} in the next 24
   * ({@link #EXIT_BITS}); with a query, the function's group ({@link LatencyQuery#groupOf}) in the
   * top 8 ({@link #GROUP_SHIFT}), as in the entry probes' cookies.
   */
  public List<AttachCheck.Probe> exitProbes() {
    List<AttachCheck.Probe> out = new ArrayList<>();
    int g = 0;
    for (Function f : functions) {
      for (Exit x : f.exits()) {
        out.add(new AttachCheck.Probe("an exit probe (" + x.kind().name().toLowerCase() + ") of " + f.name(),
            x.site().address(), x.site().fileOffset(), f.index() | (long) g++ << 32 | group(f)));
      }
    }
    return out;
  }

  /** Bits of a cookie that hold the exit's position ({@link #exitProbes}) above the function's 32. */
  public static final long EXIT_BITS = 0xff_ffffL;
  /** Where a cookie holds the function's query group. */
  public static final int GROUP_SHIFT = 56;

  /** The exit's position in {@link #exitsInOrder} from an exit probe's cookie. */
  public static int exitOf(long cookie) {
    return (int) (cookie >>> 32 & EXIT_BITS);
  }

  private long group(Function f) {
    return query.map(q -> (long) q.groupOf().get(f.index()) << GROUP_SHIFT).orElse(0L);
  }

  /** Number of exit probes over all functions. */
  public int exitCount() {
    return functions.stream().mapToInt(f -> f.exits().size()).sum();
  }

  /** An exit with the function it belongs to. */
  public record FunctionExit(Function function, Exit exit) {}

  /**
   * Every exit of every function in plan order, so that element {@code g} is the exit whose probe
   * cookie carries {@code g} in its high 32 bits ({@link #exitProbes}); built in one pass.
   */
  public List<FunctionExit> exitsInOrder() {
    List<FunctionExit> out = new ArrayList<>(exitCount());
    for (Function f : functions) {
      for (Exit x : f.exits()) {
        out.add(new FunctionExit(f, x));
      }
    }
    return List.copyOf(out);
  }

  /** Number of probes: one entry and every exit of each function. */
  public int probeCount() {
    return functions.stream().mapToInt(f -> 1 + f.exits().size()).sum();
  }
}
