package dev.gotrace.cli;

import dev.gotrace.core.target.Binaries;
import dev.gotrace.core.spec.FuncsSpec;
import dev.gotrace.core.spec.GoroutinesSpec;
import dev.gotrace.core.trace.Session;

import dev.gotrace.cli.jfr.JfrRecorder;
import dev.gotrace.cli.render.LaunchRenderer;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.metrics.Snapshots;
import dev.gotrace.core.metrics.TargetInfo;
import picocli.CommandLine.Mixin;
import dev.gotrace.core.decode.TimeOrder;
import dev.gotrace.core.plan.ExitPlanner;
import dev.gotrace.core.agg.Lifetimes;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.agg.LaunchCounts;
import dev.gotrace.core.plan.LaunchFilter;
import dev.gotrace.core.plan.LaunchPlan;
import dev.gotrace.core.plan.LaunchPlanner;
import dev.gotrace.goelf.GoBinary;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import dev.gotrace.core.expr.Expr;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Option;

/** {@code gotrace goroutines [BINARY] [-p PID]... [-- COMMAND ARGS...]}: every goroutine launch, live. */
@Command(name = "goroutines", mixinStandardHelpOptions = true,
    customSynopsis = "gotrace goroutines [BINARY] [-p PID]... [--exits] [--where EXPR] [--json] [--duration TIME] [--count N]"
        + " [--jfr FILE] [--prometheus [ADDR:]PORT] [--metrics-pid] [--otlp URL [--otlp-interval TIME]]"
        + " [-- COMMAND ARGS...]",
    description = {
      "Print every goroutine launch (and end, with --exits), live.",
      "Each launch as it happens (probes on runtime.newproc1): time, pid, the creating"
          + " goroutine, the function the new one runs, where the go statement is, the new goroutine's id.",
      "Target: a BINARY (every process running it, later ones too), -p PID, -- COMMAND (launched, traced from"
          + " its first instruction), or nothing (the one running Go process).",
      "Ends on Ctrl-C, SIGTERM, --duration, --count or the end of the target, with launches per function and"
          + " per creation site. Needs root (or CAP_BPF + CAP_PERFMON)."
    })
final class GoroutinesCommand extends TraceOptions implements Callable<Integer> {
  @Option(names = "--where", paramLabel = "EXPR", description = "Report only the goroutines whose function"
      + " meets EXPR, decided in the kernel at the launch: fn is the function's name (as the launch line shows it),"
      + " compared with == != < <= > >=, hasPrefix(), hasSuffix(), joined with && || !."
      + " E.g. 'hasPrefix(fn, \"main.\")' or 'fn == \"main.worker\"'.")
  String where;

  @Parameters(paramLabel = "[BINARY]", hideParamSyntax = true, arity = "0..*", description = "The Go executable: every process running"
      + " it, later ones too. Without it (and without -p or --), the one running Go process.")
  List<String> positional = new ArrayList<>();

  @Option(names = "--json", description = "One JSON object per launch (and end) per line (NDJSON).")
  boolean json;

  @Option(names = "--jfr", paramLabel = "FILE", description = JfrOption.HELP + "one " + JfrRecorder.GOROUTINE_LAUNCH
      + " event per launch (jfr print --events " + JfrRecorder.GOROUTINE_LAUNCH + " FILE).")
  Path jfr;

  @Mixin ExportOptions export = new ExportOptions();

  @Option(names = "--exits", description = "Also report goroutine ends (runtime.goexit1), with each one's"
      + " lifetime when its launch was seen.")
  boolean exits;

  @Override
  List<String> positional() {
    return positional;
  }

  @Override
  List<String> impliedPatterns() {
    return List.of(LaunchPlanner.NEWPROC1);
  }

  /** The parsed --where, set when the command starts. */
  private Optional<Expr> filter = Optional.empty();

  @Override
  public Integer call() throws Exception {
    filter = WhereOption.parse(where); // before any binary is read
    return traced(this::trace);
  }

  private int trace(PrintWriter out, PrintWriter err) throws Exception {
    Target target = resolveTarget();
    if (target.patterns().size() != 1 || !target.patterns().get(0).text().equals(LaunchPlanner.NEWPROC1)) {
      throw new UserException(ExitCode.USAGE, "goroutines takes no function pattern",
          "write: gotrace goroutines [BINARY] [-p PID] [-- COMMAND ARGS]");
    }
    export.check();
    try (GoBinary bin = Binaries.open(target.binary(), target.kernelPids())) {
      LaunchPlan plan = new LaunchPlanner().plan(bin);
      printNotes(err, plan.notes());
      Optional<LaunchFilter> only = filter.map(w -> LaunchFilter.of(w, where, bin));
      ProbePlan exitPlan = exits ? ExitPlanner.plan(bin) : null;
      try (TraceRun run = startRun(target);
          MetricsExport metrics = export.start(ExportOptions.target(bin, run.kernelPids()), List.of(), err);
          Session tracer = Session.open(GoroutinesSpec.of(plan, only, bin, Session.DEFAULT_RING_BYTES), bin, run.kernelPids(), run.acceptPids());
          Session ends = exitPlan == null ? null : Session.open(FuncsSpec.of(exitPlan, bin, Session.DEFAULT_RING_BYTES), bin, run.kernelPids(), run.acceptPids());
          JfrRecorder rec = JfrOption.open(jfr)) {
        tracer.attachNote().ifPresent(n -> printNotes(err, List.of(n)));
        only.ifPresent(f -> err.println("gotrace: note: --where passes the launches of " + f.functions() + " function"
            + (f.functions() == 1 ? "" : "s") + (exits ? "; --exits shows the ends of the goroutines whose launch it showed" : "")));
        err.println("Tracing goroutine launches (" + LaunchPlanner.NEWPROC1 + (exits ? ") and ends (" + ExitPlanner.GOEXIT1 : "")
            + ", " + bin.goVersion() + ") of " + target.display() + run.describe() + ". Ctrl-C to end.");
        err.flush();
        LaunchRenderer renderer = json ? LaunchRenderer.json(out, err) : LaunchRenderer.text(out, err, ZoneId.systemDefault());
        LaunchCounts counts = new LaunchCounts();
        renderer.header();
        run.release(json ? err : out, err);
        Consumer<Event> sink = run.counted(e -> {
          counts.add(e);
          renderer.event(e);
          if (rec != null && e instanceof Event.Launch l) {
            rec.launch(l);
          }
        });
        Lifetimes lifetimes = new Lifetimes();
        // Launches and ends come from two rings: merged into time order before they are printed.
        TimeOrder order = new TimeOrder();
        Consumer<Event> inOrder = e -> {
          if (e instanceof Event.Launch l) {
            lifetimes.launched(l);
            sink.accept(l);
          } else if (e instanceof Event.Call c) {
            Event.Exit end = lifetimes.ended(c);
            if (only.isEmpty() || end.lifetimeNs() >= 0) { // --where: the ends of the launches it passed
              sink.accept(end);
            }
          } else {
            sink.accept(e);
          }
        };
        TargetInfo info = ExportOptions.target(bin, run.kernelPids());
        int exit = run.loop(ms -> {
          tracer.poll(ms, order::add); // waits while the ring is empty
          long readAt = wallNow(); // what both rings held now is read by the drains that follow
          tracer.drain(order::add);
          if (ends != null) {
            ends.drain(order::add);
          }
          order.release(readAt - HOLD_NS, inOrder);
        }, now -> {
          metrics.offer(() -> Snapshots.goroutines(info, counts));
          return false;
        });
        tracer.drain(order::add);
        if (ends != null) {
          ends.drain(order::add);
        }
        order.flush(inOrder);
        run.awaitOutput();
        metrics.finish(() -> Snapshots.goroutines(info, counts));
        renderer.summary(counts, run.seconds());
        out.flush();
        JfrOption.finish(rec, err);
        return exit;
      }
    }
  }

  /**
   * How long an event waits for older ones from the other ring: records are committed a little
   * after their time stamp (a launch when newproc1 returns), microseconds apart on a busy machine.
   */
  private static final long HOLD_NS = 20_000_000L;

  /** Now, in the events' clock (ns since the epoch). */
  private static long wallNow() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
