package dev.gotrace.cli;

import dev.gotrace.core.target.Binaries;
import dev.gotrace.cli.render.RowFilter;
import dev.gotrace.core.spec.LatencySpec;
import dev.gotrace.core.trace.Session;
import java.util.OptionalLong;
import java.util.Set;
import dev.gotrace.cli.tui.TopColumn;
import dev.gotrace.cli.tui.TopLayout;
import dev.gotrace.cli.tui.TopScreen;
import dev.gotrace.cli.tui.TopTable;
import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.KeyedLatency;
import dev.gotrace.core.query.Question;
import java.util.Optional;
import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.LatencyPlanner;
import dev.gotrace.goelf.GoBinary;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gotrace top [BINARY] PATTERN...}: a live table of the matching functions — calls per
 * second, calls, mean, p50, p99, max, calls in flight — built on the latency probes (entry after
 * the stack check, every exit instruction, aggregated in the kernel). A plain table every
 * {@code --interval} when stdout is not a terminal.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
    customSynopsis = "gotrace top [BINARY] PATTERN... [-p PID]... [--interval TIME] [--all] [--top N] [--duration TIME] [--count N]"
        + " [--max-inflight N] [--where EXPR] [--by EXPR[,EXPR]] [--key-bytes N] [--max-keys N] [--sort ORDER] [--max-sites N] [-- COMMAND ARGS...]",
    description = {
      "A live table of the matching functions' calls and latency.",
      "Refreshed every --interval: calls per second, calls, mean, p50,"
          + " p99 (estimated from log2 buckets), max and calls in flight, measured in the kernel at every exit"
          + " instruction (as gotrace latency does).",
      "Keys: < and > move the sort column (1-8 pick one), r reverses, p or space pauses, q quits.",
      "--where keeps only the calls for which a condition holds; --by shows a row per function and distinct key,"
          + " with a column per expression; --sort count|p99|key picks the first sort column.",
      "When stdout is not a terminal it prints a plain table every --interval instead.",
      "Lists the functions with calls or calls in flight (--all: every function; --top N: the first N in the"
          + " sort order) and counts the others in one line.",
      "Target: as for funcs. Needs root (or CAP_BPF + CAP_PERFMON)."
    })
final class TopCommand extends PatternOptions implements Callable<Integer> {
  @Mixin WhereOption where = new WhereOption();

  @Mixin ByOptions by = new ByOptions();

  @Option(names = "--interval", paramLabel = "TIME", description = "Refresh every TIME (default: ${DEFAULT-VALUE}).")
  String interval = "1s";

  @Option(names = "--max-inflight", paramLabel = "N",
      description = "Calls in progress the kernel remembers (LRU; 1 to 4194304, default: ${DEFAULT-VALUE}).")
  int maxInflight = LatencySpec.DEFAULT_MAX_INFLIGHT;

  @Mixin TableOptions table = new TableOptions();

  /** For tests: the terminal to draw on instead of the system's. */
  Terminal terminal;

  @Override
  public Integer call() throws Exception {
    return traced(this::trace);
  }

  private int trace(PrintWriter out, PrintWriter err) throws Exception {
    Duration every = TimeOption.parse("--interval", interval, false);
    checkInflight(maxInflight);
    by.check();
    Optional<Question> question = by.question(where);
    TopColumn sort = switch (by.order()) {
      case COUNT -> TopColumn.CALLS;
      case P99 -> TopColumn.P99;
      case KEY -> TopColumn.FUNCTION;
    };
    RowFilter rows = table.filter();
    Target target = resolveTarget();
    try (GoBinary bin = Binaries.open(target.binary(), target.kernelPids())) {
      LatencyPlan plan = new LatencyPlanner(maxSites).plan(bin, target.patterns(), question, by.maxKeys);
      printNotes(err, plan.notes());
      try (TraceRun run = startRun(target);
          Session tracer = Session.open(LatencySpec.of(plan, maxInflight, OptionalLong.empty(), false), bin, run.kernelPids(),
              Set.of(), stop::get)) {
        tracer.attachNote().ifPresent(n -> printNotes(err, List.of(n)));
        String title = target.display() + run.describe();
        Refresh refresh = new Refresh(tracer, plan, title, bin.goVersion().toString(), plan.probeCount(), run, by);
        Terminal tty = terminal != null ? terminal : systemTerminal();
        try {
          if (tty == null) {
            int n = plan.functions().size();
            err.println("Timing " + n + " function" + (n == 1 ? "" : "s") + " (" + plan.probeCount() + " probes) of "
                + title + "; a table every " + interval + ". Ctrl-C to end.");
            err.flush();
          }
          run.release(tty == null ? out : err, err);
          return tty == null ? plain(run, refresh, every, out, rows, sort) : live(run, refresh, every, tty, rows, sort);
        } finally {
          if (tty != null && terminal == null) {
            tty.close();
          }
        }
      }
    }
  }

  /** The system terminal, or null when stdout is not one (then the plain table is printed). */
  private static Terminal systemTerminal() throws java.io.IOException {
    if (System.console() == null) {
      return null;
    }
    Terminal t = TerminalBuilder.builder().system(true).dumb(true).build();
    if (t.getType().startsWith(Terminal.TYPE_DUMB)) {
      t.close();
      return null;
    }
    return t;
  }

  private int live(TraceRun run, Refresh refresh, Duration every, Terminal tty, RowFilter rows, TopColumn sort)
      throws Exception {
    try (TopScreen screen = new TopScreen(tty, rows, sort)) {
      screen.show(refresh.next());
      long[] next = {System.nanoTime() + every.toNanos()};
      int exit = run.loop(ms -> {
        if (screen.readKeys(ms)) {
          screen.redraw();
        }
      }, now -> {
        if (now >= next[0]) {
          screen.show(refresh.next());
          next[0] = nextRefresh(next[0], now, every);
        }
        return screen.quit() || refresh.countReached();
      });
      return screen.interrupted() ? ExitCode.INTERRUPTED.code() : exit;
    }
  }

  private int plain(TraceRun run, Refresh refresh, Duration every, PrintWriter out, RowFilter rows, TopColumn sort)
      throws Exception {
    long[] next = {System.nanoTime() + every.toNanos()};
    boolean[] justPrinted = {false};
    int exit = run.loop(run::pause, now -> {
      justPrinted[0] = false;
      if (now < next[0]) {
        return false;
      }
      next[0] = nextRefresh(next[0], now, every);
      print(out, refresh.next(), rows, sort);
      justPrinted[0] = true;
      return refresh.countReached();
    });
    refresh.tracer.detachInBackground(); // while the last table is read and printed
    if (!justPrinted[0]) {
      print(out, refresh.next(), rows, sort); // the last table, unless the loop ended right after printing one
    }
    return exit;
  }

  /**
   * The refresh after the one due at {@code due}: every {@code every} from the start, so the time a
   * snapshot takes does not add up; after a stall, {@code every} from now.
   */
  static long nextRefresh(long due, long now, Duration every) {
    long next = due + every.toNanos();
    return next > now ? next : now + every.toNanos();
  }

  private static void print(PrintWriter out, TopTable table, RowFilter rows, TopColumn sort) {
    synchronized (out) {
      TopLayout.plain(table, sort, rows).forEach(out::println);
      out.println();
      out.flush();
    }
  }

  /** Successive snapshots of the kernel's aggregation, each with rates since the one before. */
  private static final class Refresh {
    private final Session tracer;
    private final LatencyPlan plan;
    private final String title;
    private final String goVersion;
    private final int probes;
    private final TraceRun run;
    private final ByOptions by;
    private List<FunctionLatency> previous = List.of();
    private List<KeyedLatency> previousKeys = List.of();
    private double previousSeconds;
    private long calls;

    Refresh(Session tracer, LatencyPlan plan, String title, String goVersion, int probes, TraceRun run, ByOptions by) {
      this.by = by;
      this.tracer = tracer;
      this.plan = plan;
      this.title = title;
      this.goVersion = goVersion;
      this.probes = probes;
      this.run = run;
    }

    TopTable next() {
      List<FunctionLatency> now = LatencySpec.functions(tracer, plan);
      double seconds = run.seconds();
      TopTable t;
      if (by.text().isPresent()) {
        List<KeyedLatency> keys = LatencySpec.keyed(tracer, plan);
        t = TopTable.keyed(title, goVersion, probes, now, by.sections(keys), previousKeys, keys,
            seconds - previousSeconds, seconds);
        previousKeys = keys;
      } else {
        t = TopTable.of(title, goVersion, probes, previous, now, seconds - previousSeconds, seconds);
      }
      previous = now;
      previousSeconds = seconds;
      calls = t.header().calls();
      return t;
    }

    boolean countReached() {
      return run.count() > 0 && calls >= run.count();
    }
  }
}
