package dev.gotrace.cli;

import dev.gotrace.core.target.Binaries;
import dev.gotrace.core.spec.LatencySpec;
import dev.gotrace.core.trace.Session;
import java.util.Set;

import dev.gotrace.cli.jfr.JfrRecorder;
import dev.gotrace.cli.render.HistogramRenderer;
import dev.gotrace.cli.render.KeyedSections;
import dev.gotrace.core.query.Question;
import java.util.Optional;
import dev.gotrace.cli.render.LatencyCallRenderer;
import dev.gotrace.cli.render.RowFilter;
import dev.gotrace.cli.render.StackRenderer;
import dev.gotrace.core.codegen.StackAsm;
import dev.gotrace.core.profile.Pprof;
import dev.gotrace.core.profile.StackProfile;
import dev.gotrace.core.stack.StackSymbolizer;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.PcMemo;
import dev.gotrace.core.agg.SiteLatency;
import dev.gotrace.core.agg.StreamedLatencies;
import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.KeyedLatency;
import dev.gotrace.core.metrics.MetricsSnapshot;
import dev.gotrace.core.metrics.Snapshots;
import dev.gotrace.core.metrics.TargetInfo;
import java.util.function.Supplier;
import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.LatencyPlanner;
import dev.gotrace.export.otlp.SpanPush;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.List;
import dev.gotrace.core.stack.Unwinding;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code gotrace latency [BINARY] PATTERN... [-p PID]... [-- COMMAND ARGS...]}: latency per
 * function, measured in the kernel at every exit site and aggregated there into log2 histograms.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    customSynopsis = "gotrace latency [BINARY] PATTERN... [-p PID]... [--json] [--duration TIME] [--interval TIME]"
        + " [--calls] [--min TIME] [--stack[=N]] [--by-site] [--all] [--top N] [--count N] [--max-inflight N] [--where EXPR] [--by EXPR[,EXPR]] [--key-bytes N] [--max-keys N] [--sort ORDER] [--max-sites N] [--jfr FILE]"
        + " [--prometheus [ADDR:]PORT] [--metrics-pid] [--otlp URL [--otlp-interval TIME]] [--otlp-spans[=FRACTION] [--otlp-traces URL]]"
        + " [--stacks [--folded FILE] [--flame FILE.svg [--flame-weight calls|time]] [--pprof FILE.pb.gz]]"
        + " [-- COMMAND ARGS...]",
    description = {
      "Latency per function, measured and aggregated in the kernel.",
      "A uprobe after each matching function's stack check and one on each of its exit"
          + " instructions (never a uretprobe, which crashes Go programs); entries are matched to exits in the"
          + " kernel by goroutine and frame, and counted there into log2 histograms.",
      "Prints per function the count, mean, p50, p90, p99 (estimated from the buckets), max and the histogram"
          + " at Ctrl-C, SIGTERM, --duration, --count, the end of the target, and every --interval.",
      "Lists the functions with calls (--all: every function; --top N: the N with the most calls) and counts"
          + " the others in one line; --json likewise, counting them in not_shown.",
      "--where keeps only the calls for which a condition on Go values holds (on parameters: decided at the entry;"
          + " on results: at the exit); --by adds a histogram per function and distinct key (year=2021), counted in"
          + " the kernel, the calls past --max-keys as (other).",
      "--stacks counts the calls per call stack in the kernel (unwound by frame pointers at each entry) and at the"
          + " end lists each function's stacks; --folded, --flame and --pprof write them as folded stacks, an SVG"
          + " flame graph and a pprof profile.",
      "Target: as for funcs. Needs root (or CAP_BPF + CAP_PERFMON)."
    })
final class LatencyCommand extends PatternOptions implements Callable<Integer> {
  @Mixin WhereOption where = new WhereOption();

  @Mixin ByOptions by = new ByOptions();
  @Mixin StackOption stack = new StackOption();

  @Mixin StackOptions stacks = new StackOptions();

  @Option(names = "--interval", paramLabel = "TIME", description = "Also print the table every TIME (10s, 500ms).")
  String interval;

  @Option(names = "--calls", description = "Also stream every completed call (time, pid, goroutine, function,"
      + " latency, exit site); the final table then adds exact percentiles.")
  boolean calls;

  @Option(names = "--min", paramLabel = "TIME", description = "Stream only the calls at least this slow: 10ms, 1s.")
  String min;

  @Option(names = "--by-site", description = "Break each function's calls down by the exit instruction they left"
      + " through (count and mean per exit).")
  boolean bySite;

  @Option(names = "--max-inflight", paramLabel = "N",
      description = "Calls in progress the kernel remembers (LRU; 1 to 4194304, default: ${DEFAULT-VALUE}).")
  int maxInflight = LatencySpec.DEFAULT_MAX_INFLIGHT;

  @Option(names = "--json", description = "Each table as one JSON object per line (and with --calls, one per"
      + " completed call).")
  boolean json;

  @Option(names = "--jfr", paramLabel = "FILE", description = JfrOption.HELP + "one " + JfrRecorder.LATENCY_SUMMARY
      + " event per function, or with --calls one " + JfrRecorder.GO_CALL + " per call (jfr print --events "
      + JfrRecorder.LATENCY_SUMMARY + " FILE).")
  Path jfr;

  @Mixin TableOptions table = new TableOptions();

  @Mixin ExportOptions export = new ExportOptions();

  @Mixin SpanOptions otlpSpans = new SpanOptions();

  @Override
  public Integer call() throws Exception {
    return traced(this::trace);
  }

  private int trace(PrintWriter out, PrintWriter err) throws Exception {
    Duration every = TimeOption.parse("--interval", interval, false);
    Duration slowest = TimeOption.parse("--min", min, true);
    checkInflight(maxInflight);
    by.check();
    stacks.check(by.text().isPresent());
    if (stack.checked().isPresent() && !calls && min == null && !stacks.enabled()) {
      throw new UserException(ExitCode.USAGE, "--stack gives each streamed call its stack, and nothing is streamed",
          "add --calls (every call) or --min TIME (the slow ones), or --stacks (calls counted per stack)");
    }
    Optional<Question> question = by.question(where);
    RowFilter rows = table.filter();
    Target target = resolveTarget();
    export.check();
    Optional<SpanOptions.Plan> spanPlan = otlpSpans.checked(Optional.ofNullable(export.otlp), "--otlp");
    // what is streamed is printed only with --calls or --min; --otlp-spans alone streams every call unprinted
    boolean printCalls = calls || slowest != null;
    OptionalLong streamMin = slowest != null ? OptionalLong.of(slowest.toNanos())
        : calls || spanPlan.isPresent() ? OptionalLong.of(0) : OptionalLong.empty();
    try (GoBinary bin = Binaries.open(target.binary(), target.kernelPids())) {
      LatencyPlan plan = new LatencyPlanner(maxSites).plan(bin, target.patterns(), question, by.maxKeys);
      printNotes(err, plan.notes());
      if (stacks.enabled() && stack.depth == null) {
        stack.depth = StackAsm.DEFAULT_DEPTH; // --stacks walks as --stack alone does
      }
      Optional<Unwinding> walk = stack.unwinding(bin,
          plan.functions().stream().map(f -> f.entry().address()).toList(), err);
      List<String> keyLabels = LatencySpec.keyLabels(plan);
      try (TraceRun run = startRun(target);
          MetricsExport metrics = export.start(ExportOptions.target(bin, run.kernelPids()), keyLabels, err);
          Session tracer = Session.open(LatencySpec.of(plan, maxInflight, streamMin, bySite, walk, stacks.enabled(), bin), bin, run.kernelPids(), Set.of(),
              stop::get);
          JfrRecorder rec = JfrOption.open(jfr);
          SpanPush spanPush = spanPlan.map(p -> p.start(ExportOptions.target(bin, run.kernelPids()), err)).orElse(null)) {
        spanPlan.ifPresent(p -> err.println(p.describe()));
        tracer.attachNote().ifPresent(n -> printNotes(err, List.of(n)));
        int n = plan.functions().size();
        err.println("Timing " + n + " function" + (n == 1 ? "" : "s") + " (" + plan.probeCount() + " probes) of "
            + target.display() + run.describe() + ". Ctrl-C to end.");
        err.flush();
        HistogramRenderer renderer = json ? HistogramRenderer.json(out, rows) : HistogramRenderer.text(out, rows);
        int width = plan.functions().stream().mapToInt(f -> f.name().length()).max().orElse(8);
        LatencyCallRenderer callRenderer = json ? LatencyCallRenderer.json(out)
            : LatencyCallRenderer.text(out, ZoneId.systemDefault(), width);
        // exact percentiles only when every call is streamed (--calls without --min)
        StreamedLatencies exact = new StreamedLatencies();
        PcMemo<String> sites = new PcMemo<>(pc -> site(bin, pc));
        Consumer<Event> sink = e -> {
          if (!(e instanceof Event.Completed c)) {
            return;
          }
          String where = sites.get(c.exitSite());
          if (spanPush != null) {
            spanPush.completed(c, where);
          }
          if (!printCalls) {
            return;
          }
          synchronized (out) {
            callRenderer.call(c, where);
          }
          if (rec != null) {
            rec.completed(c, where);
          }
          if (slowest == null) {
            exact.add(c);
          }
        };
        run.release(json ? err : out, err);
        long startedEpochNs = System.currentTimeMillis() * 1_000_000L;
        TargetInfo info = ExportOptions.target(bin, run.kernelPids());
        Supplier<MetricsSnapshot> snapshot = () -> LatencySpec.snapshot(tracer, plan, info);
        long[] nextReport = {every == null ? Long.MAX_VALUE : System.nanoTime() + every.toNanos()};
        int exit = run.loop(ms -> {
          if (tracer.streams()) {
            tracer.poll(ms, sink);
            synchronized (out) {
              callRenderer.flush();
            }
          } else {
            run.pause(ms);
          }
        }, now -> {
          metrics.offer(snapshot);
          // --count reads only the kernel's call totals; the full snapshot is for --interval's table
          if (run.count() > 0 && LatencySpec.completed(tracer, plan) >= run.count()) {
            return true;
          }
          if (now >= nextReport[0]) {
            List<FunctionLatency> snap = LatencySpec.functions(tracer, plan);
            KeyedSections keys = by.sections(LatencySpec.keyed(tracer, plan));
            synchronized (out) {
              renderer.table(snap, run.seconds(), false, Map.of(), Map.of(), keys);
            }
            nextReport[0] += every.toNanos();
          }
          return false;
        });
        tracer.detachInBackground(); // while the last records and the final snapshot are read
        tracer.drain(sink); // the calls still in the ring
        run.awaitOutput();
        if (tracer.drops() > 0) {
          err.println("gotrace: " + tracer.drops() + " streamed calls lost (ring buffer full); the table has them");
        }
        List<FunctionLatency> last = LatencySpec.functions(tracer, plan);
        List<KeyedLatency> lastKeyed = LatencySpec.keyed(tracer, plan);
        KeyedSections keys = by.sections(lastKeyed);
        metrics.finish(() -> Snapshots.latency(info, keyLabels, last, lastKeyed, tracer.drops()));
        synchronized (out) {
          renderer.table(last, run.seconds(), true, exact.sorted(), siteRows(bin, tracer, plan), keys);
        }
        if (stacks.enabled()) {
          StackProfile profile = LatencySpec.stacks(tracer, plan, new StackSymbolizer(bin));
          synchronized (out) {
            (json ? StackRenderer.json(out) : StackRenderer.text(out)).render(profile);
          }
          String title = "gotrace latency " + bin.path().getFileName() + " "
              + String.join(" ", target.patterns().stream().map(NamePattern::text).toList()) + " --stacks";
          stacks.write(profile, new Pprof.Meta(bin.path().toString(), startedEpochNs,
              Math.round(run.seconds() * 1e9), title, stacks.weight()), title, err);
        }
        if (rec != null && !printCalls) {
          rec.summaries(last, startedEpochNs, System.currentTimeMillis() * 1_000_000L);
        }
        JfrOption.finish(rec, err);
        return exit;
      }
    }
  }

  /** Exit-site rows per function, by its identity (empty unless --by-site). */
  private static Map<Long, List<HistogramRenderer.SiteRow>> siteRows(GoBinary bin, Session tracer, LatencyPlan plan) {
    Map<Long, List<HistogramRenderer.SiteRow>> rows = new HashMap<>();
    for (SiteLatency s : LatencySpec.sites(tracer, plan)) {
      String where = site(bin, s.address());
      rows.computeIfAbsent(s.functionEntry(), k -> new ArrayList<>()).add(new HistogramRenderer.SiteRow(
          (where.isEmpty() ? "" : where + " ") + "0x" + Long.toHexString(s.address()), s.kind().name(), s.count(),
          s.mean()));
    }
    return rows;
  }

  /** An exit site as file:line, "" when pclntab has no line for it. */
  private static String site(GoBinary bin, long pc) {
    if (pc == 0) {
      return "";
    }
    try {
      return bin.sourcePos(pc).map(Object::toString).orElse("");
    } catch (GoBinaryException e) {
      return "";
    }
  }
}
