package dev.gotrace.cli;

import dev.gotrace.core.target.Binaries;
import dev.gotrace.cli.jfr.JfrRecorder;
import dev.gotrace.cli.render.CallRenderer;
import dev.gotrace.core.agg.CallCounts;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.metrics.Snapshots;
import dev.gotrace.core.metrics.TargetInfo;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.EntryQuery;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.core.plan.RecordLayout;
import dev.gotrace.core.plan.ShowPlan;
import dev.gotrace.core.query.Question;
import dev.gotrace.core.query.Shows;
import dev.gotrace.core.spec.FuncsSpec;
import dev.gotrace.core.stack.Unwinding;
import dev.gotrace.core.trace.Session;
import dev.gotrace.goelf.GoBinary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gotrace funcs [BINARY] PATTERN... [-p PID]... [-- COMMAND ARGS...]}: every call, live. */
@Command(name = "funcs", mixinStandardHelpOptions = true,
    customSynopsis = "gotrace funcs [BINARY] PATTERN... [-p PID]... [--json] [--duration TIME] [--count N]"
        + " [--where EXPR] [--show NAMES] [--stack[=N]] [--hist EXPR [--by EXPR] [--interval TIME]] [--max-sites N]"
        + " [--jfr FILE] [--prometheus [ADDR:]PORT] [--metrics-pid] [--otlp URL [--otlp-interval TIME]]"
        + " [-- COMMAND ARGS...]",
    description = {
      "Print every call of the matching functions, live.",
      "Each call as it happens: time, pid, goroutine id, function, caller.",
      "Target: a BINARY (every process running it, later ones too), -p PID, -- COMMAND (launched, traced from"
          + " its first instruction), or nothing (the one running Go process with matching functions).",
      "Ends on Ctrl-C, SIGTERM, --duration, --count or the end of the target, with calls per function and"
          + " dropped events. Needs root (or CAP_BPF + CAP_PERFMON)."
    })
final class FuncsCommand extends PatternOptions implements Callable<Integer> {
  @Mixin WhereOption where = new WhereOption();
  @Mixin StackOption stack = new StackOption();

  @Option(names = "--json", description = "One JSON object per call per line (NDJSON) instead of the text lines.")
  boolean json;

  @Option(names = "--jfr", paramLabel = "FILE", description = JfrOption.HELP + "one " + JfrRecorder.GO_CALL
      + " event per call (jfr print --events " + JfrRecorder.GO_CALL + " FILE).")
  Path jfr;

  /** Called once the probes are attached (the demo makes its requests then). */
  Runnable afterAttach;

  @Mixin ShowOption show = new ShowOption();

  @Mixin HistOption hist = new HistOption();

  @Mixin ExportOptions export = new ExportOptions();

  /** The parsed --where, set when the command starts. */
  private Optional<Question> filter = Optional.empty();
  private Shows shows = Shows.NONE;

  @Override
  public Integer call() throws Exception {
    filter = where.question(); // before any binary is read
    shows = show.parsed();
    hist.parse(where);
    stack.checked();
    hist.refuseWith(stack, !shows.isEmpty(), jfr != null);
    return traced(this::trace);
  }

  private int trace(PrintWriter out, PrintWriter err) throws Exception {
    Target target = resolveTarget();
    hist.requireHistForBy();
    export.check();
    if (hist.present() && export.enabled()) {
      throw new UserException(ExitCode.USAGE, "--prometheus and --otlp export calls, and --hist counts values",
          "export the calls without --hist, or the latency per key with gotrace latency --by EXPR --prometheus PORT");
    }
    try (GoBinary bin = Binaries.open(target.binary(), target.kernelPids())) {
      ProbePlan plan = new Planner(maxSites).planWithLines(bin, target.patterns());
      printNotes(err, plan.notes());
      if (hist.present()) {
        return hist.run(this, target, bin, plan, json, out, err);
      }
      Optional<EntryQuery> only = filter.isEmpty() ? Optional.empty()
          : Optional.of(EntryQuery.compile(filter.get(), EntryQuery.scopes(bin, plan)));
      RecordLayout shown = ShowPlan.funcs(bin, plan, shows,
          ArgsPlanner.DEFAULT_STRSIZE);
      Optional<Unwinding> stacks = stack.unwinding(bin, plan.sites().stream().map(ProbeSite::probeAddress).toList(), err);
      try (TraceRun run = startRun(target);
          MetricsExport metrics = export.start(ExportOptions.target(bin, run.kernelPids()), List.of(), err);
          Session tracer = Session.open(FuncsSpec.of(plan, only, shown, stacks, bin, Session.DEFAULT_RING_BYTES), bin, run.kernelPids(), run.acceptPids());
          JfrRecorder rec = JfrOption.open(jfr)) {
        tracer.attachNote().ifPresent(n -> printNotes(err, List.of(n)));
        err.println("Tracing " + FuncsHeader.what(plan) + " of " + target.display() + run.describe() + ". Ctrl-C to end.");
        err.flush();
        int width = plan.sites().stream().mapToInt(s -> s.function().length()).max().orElse(8);
        CallRenderer renderer = json ? CallRenderer.json(out, err)
            : CallRenderer.text(out, err, ZoneId.systemDefault(), width);
        CallCounts counts = new CallCounts(plan.sites().stream().map(ProbeSite::function).distinct().toList());
        renderer.header();
        run.release(json ? err : out, err);
        if (afterAttach != null) {
          afterAttach.run();
        }
        Consumer<Event> sink = run.counted(e -> {
          counts.add(e);
          renderer.event(e);
          if (rec != null && e instanceof Event.Call c) {
            rec.call(c);
          }
        });
        TargetInfo info = ExportOptions.target(bin, run.kernelPids());
        int exit = run.loop(ms -> {
          tracer.poll(ms, sink);
          renderer.flush();
        }, now -> {
          metrics.offer(() -> Snapshots.funcs(info, counts));
          return false;
        });
        tracer.detachInBackground(); // while the last records and the final snapshot are read
        tracer.drain(sink);
        run.awaitOutput();
        metrics.finish(() -> Snapshots.funcs(info, counts));
        renderer.summary(counts, run.seconds());
        out.flush();
        JfrOption.finish(rec, err);
        return exit;
      }
    }
  }
}
