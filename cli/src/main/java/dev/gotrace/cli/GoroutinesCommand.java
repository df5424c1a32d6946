package dev.gotrace.cli;

import dev.gotrace.cli.render.LaunchRenderer;
import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.goroutines.ExitPlanner;
import dev.gotrace.core.goroutines.Launch;
import dev.gotrace.core.goroutines.Lifetimes;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.trace.FuncsTracer;
import dev.gotrace.core.goroutines.GoroutineEvent;
import dev.gotrace.core.goroutines.GoroutinesTracer;
import dev.gotrace.core.goroutines.LaunchCounts;
import dev.gotrace.core.goroutines.LaunchPlan;
import dev.gotrace.core.goroutines.LaunchPlanException;
import dev.gotrace.core.goroutines.LaunchPlanner;
import dev.gotrace.core.target.Launcher;
import dev.gotrace.core.target.Processes;
import dev.gotrace.goelf.GoBinary;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gotrace goroutines [BINARY] [-p PID]... [-- COMMAND ARGS...]}: every goroutine launch, live. */
@Command(name = "goroutines", mixinStandardHelpOptions = true,
    customSynopsis = "gotrace goroutines [BINARY] [-p PID]... [--exits] [--json] [--duration TIME] [--count N]"
        + " [-- COMMAND ARGS...]",
    description = {
      "Print every goroutine launch as it happens (probes on runtime.newproc1): time, pid, the creating"
          + " goroutine, the function the new one runs, where the go statement is, the new goroutine's id.",
      "Target: a BINARY (every process running it, later ones too), -p PID, -- COMMAND (launched, traced from"
          + " its first instruction), or nothing (the one running Go process).",
      "Ends on Ctrl-C, SIGTERM, --duration, --count or the end of the target, with launches per function and"
          + " per creation site. Needs root (or CAP_BPF + CAP_PERFMON)."
    })
final class GoroutinesCommand extends TraceOptions implements Callable<Integer> {
  private static final int POLL_MS = 100;

  @Option(names = "--exits", description = "Also report goroutine ends (runtime.goexit1), with each one's"
      + " lifetime when its launch was seen.")
  boolean exits;

  private final AtomicBoolean stop = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);

  @Override
  List<String> impliedPatterns() {
    return List.of(LaunchPlanner.NEWPROC1);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Thread hook = new Thread(() -> {
      stop.set(true);
      try {
        finished.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gotrace-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return trace(out, err);
    } catch (LaunchPlanException e) {
      throw new UserException(e.kind() == LaunchPlanException.Kind.NO_NEWPROC ? ExitCode.NOT_GO : ExitCode.UNSUPPORTED,
          e.getMessage(), e.hint(), e);
    } catch (RuntimeException e) {
      UserException u = fromCore(e);
      throw u != null ? u : e;
    } finally {
      out.flush();
      err.flush();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting because of a signal; the hook is running and has now been released
      }
    }
  }

  private int trace(PrintWriter out, PrintWriter err) throws Exception {
    Duration limit = parsedDuration();
    Target target = resolveTarget();
    if (target.patterns().size() != 1 || !target.patterns().get(0).text().equals(LaunchPlanner.NEWPROC1)) {
      throw new UserException(ExitCode.USAGE, "gotrace goroutines takes no function pattern",
          "write: gotrace goroutines [BINARY] [-p PID] [-- COMMAND ARGS]");
    }
    try (GoBinary bin = Binaries.open(target.binary())) {
      LaunchPlan plan = new LaunchPlanner().plan(bin);
      plan.notes().forEach(n -> err.println("gotrace: note: " + n));
      ProbePlan exitPlan = exits ? ExitPlanner.plan(bin) : null;
      Launcher.Launched launched = target.launch() ? Launcher.start(target.command()) : null;
      List<Thread> pumps = new ArrayList<>();
      try {
        Set<Integer> accept = launched != null ? Set.of(launched.pid()) : Set.of();
        List<Integer> kernelPids = launched != null ? List.of(launched.pid()) : target.kernelPids();
        try (GoroutinesTracer tracer = GoroutinesTracer.attach(plan, bin, kernelPids, accept,
                GoroutinesTracer.DEFAULT_RING_BYTES);
            FuncsTracer ends = exitPlan == null ? null : FuncsTracer.attach(exitPlan, CallDecoder.Symbolizer.of(bin),
                kernelPids, accept, FuncsTracer.DEFAULT_RING_BYTES)) {
          if (!tracer.attachNote().isEmpty()) {
            err.println("gotrace: note: " + tracer.attachNote());
          }
          err.println("Tracing goroutine launches (" + LaunchPlanner.NEWPROC1 + (exits ? ") and ends (" + ExitPlanner.GOEXIT1 : "")
              + ", " + bin.goVersion() + ") of "
              + target.display() + describe(target, launched) + ". Ctrl-C to end.");
          err.flush();
          LaunchRenderer renderer = json ? LaunchRenderer.json(out, err) : LaunchRenderer.text(out, ZoneId.systemDefault());
          LaunchCounts counts = new LaunchCounts();
          renderer.header();
          if (launched != null) {
            pumps.add(FuncsCommand.pump(launched.process().getInputStream(), json ? err : out, "stdout"));
            pumps.add(FuncsCommand.pump(launched.process().getErrorStream(), err, "stderr"));
            launched.release();
          }
          long started = System.nanoTime();
          int exit = loop(tracer, ends, renderer, counts, target, launched, limit, started);
          for (Thread p : pumps) {
            p.join(2000);
          }
          renderer.summary(counts, (System.nanoTime() - started) / 1e9);
          out.flush();
          return exit;
        }
      } finally {
        if (launched != null) {
          launched.close();
        }
      }
    }
  }

  /**
   * Ends, each after its launch: a goroutine is launched (newproc1 returns) before it can run, so
   * its launch record is in the ring before its end record; draining the launches again after
   * reading the ends makes every launch of those ends known.
   */
  private static void pollEnds(GoroutinesTracer tracer, FuncsTracer ends, Lifetimes lifetimes,
      Consumer<GoroutineEvent> launches, Consumer<GoroutineEvent> sink) {
    List<Event> got = new ArrayList<>();
    ends.drain(got::add);
    if (got.isEmpty()) {
      return;
    }
    tracer.drain(launches);
    for (Event e : got) {
      if (e instanceof Event.Call c) {
        sink.accept(lifetimes.ended(c));
      } else if (e instanceof Event.Lost x) {
        sink.accept(new GoroutineEvent.Lost(x.wallNs(), x.count()));
      }
    }
  }

  private static String describe(Target t, Launcher.Launched launched) {
    if (launched != null) {
      return " (launched as pid " + launched.pid() + ")";
    }
    if (!t.kernelPids().isEmpty()) {
      return " (pid " + String.join(", ", t.kernelPids().stream().map(String::valueOf).toList()) + ")";
    }
    return " (every process running it)";
  }

  private int loop(GoroutinesTracer tracer, FuncsTracer ends, LaunchRenderer renderer, LaunchCounts counts, Target target,
      Launcher.Launched launched, Duration limit, long started) throws InterruptedException {
    long deadline = limit == null ? Long.MAX_VALUE : started + limit.toNanos();
    long[] seen = {0};
    Consumer<GoroutineEvent> sink = e -> {
      if (count > 0 && seen[0] >= count) {
        return;
      }
      seen[0]++;
      counts.add(e);
      renderer.event(e);
    };
    Lifetimes lifetimes = new Lifetimes();
    Consumer<GoroutineEvent> launches = e -> {
      if (e instanceof Launch l) {
        lifetimes.launched(l);
      }
      sink.accept(e);
    };
    while (!stop.get()) {
      tracer.poll(POLL_MS, launches);
      if (ends != null) {
        pollEnds(tracer, ends, lifetimes, launches, sink);
      }
      if (count > 0 && seen[0] >= count || System.nanoTime() >= deadline) {
        break;
      }
      if (launched != null && !launched.process().isAlive()) {
        break;
      }
      if (launched == null && !target.kernelPids().isEmpty()
          && target.kernelPids().stream().noneMatch(Processes::alive)) {
        break;
      }
    }
    tracer.drain(launches);
    if (ends != null) {
      pollEnds(tracer, ends, lifetimes, launches, sink);
    }
    if (launched != null && !stop.get() && !launched.process().isAlive()) {
      return launched.process().waitFor();
    }
    return ExitCode.OK.code();
  }
}
