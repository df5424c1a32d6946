package dev.gotrace.cli;

import dev.gotrace.cli.render.ValueHistogramRenderer;
import dev.gotrace.core.expr.Expr;
import dev.gotrace.core.plan.HistPlan;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.query.HistQuery;
import dev.gotrace.core.query.Question;
import dev.gotrace.core.spec.HistSpec;
import dev.gotrace.core.trace.Session;
import dev.gotrace.goelf.GoBinary;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --hist EXPR} (with {@code --by}), shared by funcs and args: instead of a line per call, a
 * histogram of EXPR's value per function (and key), counted in the kernel and printed at the end.
 */
final class HistOption {
  @Option(names = "--hist", paramLabel = "EXPR", description = "Instead of a line per call, count the value of EXPR"
      + " (an integer or float: a parameter, a field, a package variable, len(s)) at each call into a log2"
      + " histogram in the kernel, per function and --by key; printed at the end. Buckets: 0, then [2^(k-1), 2^k)"
      + " and the mirrored negative ones; floats by their binary exponent.")
  String hist;

  @Mixin ByOptions by = new ByOptions();

  @Option(names = "--interval", paramLabel = "TIME", description = "With --hist, also print the tables every TIME"
      + " (10s, 500ms).")
  String interval;

  private java.time.Duration every;

  private Expr parsed;
  private Optional<Question> question = Optional.empty();

  boolean present() {
    return hist != null;
  }

  /** Parses --hist, --where and --by before the binary is read. */
  void parse(WhereOption where) {
    every = TimeOption.parse("--interval", interval, false);
    if (hist == null) {
      return;
    }
    by.check();
    parsed = HistQuery.parse(hist);
    question = Optional.of(Question.parse(where.text(), by.text(), by.keyBytes));
  }

  /**
   * Refuses options that show something per event beside --hist, which shows no event: {@code
   * --stack} (calls per stack are latency --stacks), {@code --show} and {@code --jfr}.
   */
  void refuseWith(StackOption stack, boolean showAsked, boolean jfrAsked) {
    if (hist == null) {
      return;
    }
    if (jfrAsked) {
      throw new UserException(ExitCode.USAGE, "--jfr does not go with --hist: a histogram records no single event",
          "record the calls with --jfr without --hist, or print the histogram as JSON with --json");
    }
    if (stack.depth != null) {
      throw new UserException(ExitCode.USAGE, "--stack does not go with --hist: a histogram shows no single event",
          "count calls per stack with gotrace latency --stacks");
    }
    if (showAsked) {
      throw new UserException(ExitCode.USAGE, "--show does not go with --hist: a histogram shows no single event",
          "give the package variable to --hist itself, or to --by");
    }
  }

  /** Refuses --by without --hist (after the target is found, before the binary is read). */
  void requireHistForBy() {
    if (hist == null && (by.text().isPresent() || interval != null)) {
      throw new UserException(ExitCode.USAGE, (interval != null ? "--interval" : "--by") + " needs --hist in this command",
          "count calls per key with gotrace latency --by, or give --hist EXPR");
    }
  }

  /** Traces {@code plan}'s entries, counting --hist, until the run ends; prints the tables. */
  int run(TraceOptions cmd, TraceOptions.Target target, GoBinary bin, ProbePlan plan, boolean json, PrintWriter out,
      PrintWriter err) throws Exception {
    HistPlan h = HistPlan.compile(bin, plan, question.orElseThrow(), hist, parsed, by.maxKeys);
    List<String> keys = question.get().by().stream().map(i -> i.text()).toList();
    try (TraceRun run = cmd.startRun(target);
        Session tracer = Session.open(HistSpec.of(h), bin, run.kernelPids(), run.acceptPids())) {
      tracer.attachNote().ifPresent(n -> cmd.printNotes(err, List.of(n)));
      long lines = plan.sites().stream().filter(s -> s.line().isPresent()).count();
      err.println("Counting " + hist + " at " + plan.sites().size() + (lines > 0 ? " probe" : " function")
          + (plan.sites().size() == 1 ? "" : "s")
          + " of " + target.display() + run.describe() + ". Ctrl-C to end.");
      err.flush();
      run.release(json ? err : out, err);
      ValueHistogramRenderer r = json ? ValueHistogramRenderer.json(out) : ValueHistogramRenderer.text(out);
      long[] next = {every == null ? Long.MAX_VALUE : System.nanoTime() + every.toNanos()};
      int exit = run.loop(ms -> run.pause(ms), now -> {
        if (now >= next[0]) {
          synchronized (out) {
            r.table(hist, keys, HistSpec.read(tracer, h), run.seconds());
          }
          next[0] += every.toNanos();
        }
        return false;
      });
      tracer.detachInBackground();
      run.awaitOutput();
      synchronized (out) {
        r.table(hist, keys, HistSpec.read(tracer, h), run.seconds());
      }
      return exit;
    }
  }
}
