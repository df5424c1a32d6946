package dev.gotrace.cli;

import dev.gotrace.core.target.Binaries;
import dev.gotrace.cli.jfr.JfrRecorder;
import dev.gotrace.cli.render.ArgsRenderer;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.EntryQuery;
import dev.gotrace.core.plan.Note;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ShowPlan;
import dev.gotrace.core.query.Question;
import dev.gotrace.core.query.Shows;
import dev.gotrace.core.spec.ArgsSpec;
import dev.gotrace.core.stack.Unwinding;
import dev.gotrace.core.trace.Session;
import dev.gotrace.export.otlp.SpanPush;
import dev.gotrace.goelf.GoBinary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gotrace args [BINARY] FUNC... [-p PID]... [-- COMMAND ARGS...]}: calls with arguments, returns with results. */
@Command(name = "args", mixinStandardHelpOptions = true,
    customSynopsis = "gotrace args [BINARY] FUNC... [-p PID]... [--json] [--strsize N] [--deref] [--where EXPR] [--show NAMES]"
        + " [--stack[=N]] [--hist EXPR [--by EXPR]] [--duration TIME]"
        + " [--count N] [--jfr FILE] [--otlp-spans[=FRACTION] --otlp-traces URL] [-- COMMAND ARGS...]",
    description = {
      "Print each call's arguments and each return's results, live.",
      "Each call of the matching functions with its arguments decoded as Go values (names and types"
          + " from DWARF, locations from the Go ABI), and each return with its results and latency.",
      "Targets as for funcs. Without DWARF (stripped binaries) the raw words of the argument slots are shown."
          + " Needs root (or CAP_BPF + CAP_PERFMON)."
    })
final class ArgsCommand extends PatternOptions implements Callable<Integer> {
  @Mixin WhereOption where = new WhereOption();
  @Mixin StackOption stack = new StackOption();

  @Option(names = "--strsize", paramLabel = "N",
      description = "Bytes copied from each string and []byte, 1 to 4096 (default: ${DEFAULT-VALUE}).")
  int strsize = ArgsPlanner.DEFAULT_STRSIZE;

  @Option(names = "--deref", description = "Show the pointee of pointers to small structs (up to 64 bytes).")
  boolean deref;

  @Option(names = "--json", description = "One JSON object per call and per return per line (NDJSON).")
  boolean json;

  @Option(names = "--jfr", paramLabel = "FILE", description = JfrOption.HELP + "one " + JfrRecorder.GO_CALL
      + " event per call, with its arguments, results and latency (jfr print --events " + JfrRecorder.GO_CALL + " FILE).")
  Path jfr;

  @Mixin ShowOption show = new ShowOption();

  @Mixin HistOption hist = new HistOption();

  @Mixin SpanOptions otlpSpans = new SpanOptions();

  /** The parsed --where, set when the command starts. */
  private Optional<Question> filter = Optional.empty();
  private Shows shows = Shows.NONE;
  private Optional<SpanOptions.Plan> spanPlan = Optional.empty();

  @Override
  public Integer call() throws Exception {
    filter = where.question(); // before any binary is read
    shows = show.parsed();
    hist.parse(where);
    stack.checked();
    hist.refuseWith(stack, !shows.isEmpty(), jfr != null);
    if (strsize < 1 || strsize > ArgsPlanner.MAX_STRSIZE) {
      throw new UserException(ExitCode.USAGE, "--strsize " + strsize + " is out of range",
          "give 1 to " + ArgsPlanner.MAX_STRSIZE);
    }
    return traced(this::trace);
  }

  private int trace(PrintWriter out, PrintWriter err) throws Exception {
    Target target = resolveTarget();
    hist.requireHistForBy();
    spanPlan = otlpSpans.checked(Optional.empty(), null);
    if (hist.present() && spanPlan.isPresent()) {
      throw new UserException(ExitCode.USAGE, "--otlp-spans sends each call, and --hist counts them in the kernel",
          "drop one of them");
    }
    try (GoBinary bin = Binaries.open(target.binary(), target.kernelPids())) {
      if (hist.present()) {
        ProbePlan base = new Planner(maxSites).planWithLines(bin, target.patterns());
        printNotes(err, base.notes());
        return hist.run(this, target, bin, base, json, out, err);
      }
      ArgsPlan plan = ShowPlan.args(bin,
          new ArgsPlanner(new Planner(maxSites), strsize, deref).plan(bin, target.patterns()), shows);
      List<Note> notes = new ArrayList<>(plan.base().notes());
      notes.addAll(plan.notes());
      printNotes(err, notes);
      Optional<EntryQuery> only = filter.isEmpty() ? Optional.empty() : Optional.of(
          EntryQuery.compile(filter.get(), EntryQuery.scopes(bin, plan), plan.base().sites().size()));
      only.filter(q -> q.unplaced() > 0).ifPresent(q -> err.println("gotrace: note: --where: the calls of "
          + q.unplaced() + " inlined cop" + (q.unplaced() == 1 ? "y are" : "ies are")
          + " not shown: " + q.unplacedWhy()));
      Optional<Unwinding> stacks = stack.unwinding(bin, plan.sites().stream().map(ArgsPlan.ArgsSite::address).toList(), err);
      try (TraceRun run = startRun(target);
          Session tracer = Session.open(ArgsSpec.of(plan, only, stacks, bin, Session.DEFAULT_RING_BYTES), bin, target.kernelPids(), run.acceptPids());
          JfrRecorder rec = JfrOption.open(jfr);
          SpanPush spanPush = spanPlan.map(p -> p.start(ExportOptions.target(bin, run.kernelPids()), err)).orElse(null)) {
        tracer.attachNote().ifPresent(n -> printNotes(err, List.of(n)));
        spanPlan.ifPresent(p -> err.println(p.describe()));
        err.println("Tracing " + ArgsHeader.what(plan) + " of " + target.display() + run.describe() + ". Ctrl-C to end.");
        err.flush();
        ArgsRenderer renderer = json ? ArgsRenderer.json(out) : ArgsRenderer.text(out, ZoneId.systemDefault());
        run.release(json ? err : out, err);
        long[] counts = new long[4];
        Consumer<Event> sink = run.counted(e -> {
          if (e instanceof Event.Entry c && !c.site().isEmpty()) {
            counts[3]++;
          } else if (e instanceof Event.Entry) {
            counts[0]++;
          } else if (e instanceof Event.Return) {
            counts[1]++;
          } else if (e instanceof Event.Lost l) {
            counts[2] += l.count();
          }
          renderer.event(e);
          if (rec != null) {
            rec.args(e);
          }
          if (spanPush != null) {
            spanPush.args(e);
          }
        });
        int exit = run.loop(ms -> {
          tracer.poll(ms, sink);
          renderer.flush();
        });
        tracer.drain(sink);
        run.awaitOutput();
        boolean lines = plan.functions().stream().anyMatch(f -> !f.site().isEmpty());
        err.printf("%n%d calls, %d returns%s in %.1f s, %d dropped%n", counts[0], counts[1],
            lines ? ", " + counts[3] + " line hits" : "", run.seconds(), counts[2]);
        out.flush();
        JfrOption.finish(rec, err);
        err.flush();
        return exit;
      }
    }
  }
}
