package dev.gotrace.cli;

import dev.gotrace.cli.render.ArgsRenderer;
import dev.gotrace.core.decode.ArgsEvent;
import dev.gotrace.core.decode.TypeNames;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.target.Launcher;
import dev.gotrace.core.target.Processes;
import dev.gotrace.core.trace.ArgsTracer;
import dev.gotrace.core.trace.FuncsTracer;
import dev.gotrace.goelf.GoBinary;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gotrace args [BINARY] FUNC... [-p PID]... [-- COMMAND ARGS...]}: calls with arguments, returns with results. */
@Command(name = "args", mixinStandardHelpOptions = true,
    customSynopsis = "gotrace args [BINARY] FUNC... [-p PID]... [--json] [--strsize N] [--deref] [--duration TIME]"
        + " [--count N] [-- COMMAND ARGS...]",
    description = {
      "Print each call of the matching functions with its arguments decoded as Go values (names and types"
          + " from DWARF, locations from the Go ABI), and each return with its results and latency.",
      "Targets as for funcs. Without DWARF (stripped binaries) the raw words of the argument slots are shown."
          + " Needs root (or CAP_BPF + CAP_PERFMON)."
    })
final class ArgsCommand extends TraceOptions implements java.util.concurrent.Callable<Integer> {
  private static final int POLL_MS = 100;

  @Option(names = "--strsize", paramLabel = "N",
      description = "Bytes copied from each string and []byte, 1 to 4096 (default: ${DEFAULT-VALUE}).")
  int strsize = ArgsPlanner.DEFAULT_STRSIZE;

  @Option(names = "--deref", description = "Show the pointee of pointers to small structs (up to 64 bytes).")
  boolean deref;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (strsize < 1 || strsize > ArgsPlanner.MAX_STRSIZE) {
      throw new UserException(ExitCode.USAGE, "--strsize " + strsize + " is out of range",
          "give 1 to " + ArgsPlanner.MAX_STRSIZE);
    }
    try {
      return trace(out, err);
    } catch (RuntimeException e) {
      UserException u = fromCore(e);
      throw u != null ? u : e;
    }
  }

  private int trace(PrintWriter out, PrintWriter err) throws Exception {
    Duration limit = parsedDuration();
    Target target = resolveTarget();
    try (GoBinary bin = Binaries.open(target.binary())) {
      ArgsPlan plan = new ArgsPlanner(new Planner(maxSites), strsize, deref, maxSites).plan(bin, target.patterns());
      plan.base().notes().forEach(n -> err.println("gotrace: note: " + n));
      plan.notes().forEach(n -> err.println("gotrace: note: " + n));
      Launcher.Launched launched = target.launch() ? Launcher.start(target.command()) : null;
      List<Thread> pumps = new ArrayList<>();
      try {
        Set<Integer> accept = launched != null ? Set.of(launched.pid()) : Set.of();
        try (ArgsTracer tracer = ArgsTracer.attach(plan, TypeNames.of(bin), target.kernelPids(), accept,
            FuncsTracer.DEFAULT_RING_BYTES)) {
          if (!tracer.attachNote().isEmpty()) {
            err.println("gotrace: note: " + tracer.attachNote());
          }
          long n = plan.functions().stream().map(ArgsPlan.FunctionArgs::function).distinct().count();
          long copies = plan.functions().stream().filter(f -> !f.inlinedInto().isEmpty()).count();
          err.println("Tracing arguments of " + n + " function" + (n == 1 ? "" : "s") + " (" + plan.sites().size()
              + " probes" + (copies > 0 ? ", " + copies + " of them at inlined copies" : "") + ") of "
              + target.display() + ". Ctrl-C to end.");
          err.flush();
          ArgsRenderer renderer = json ? ArgsRenderer.json(out) : ArgsRenderer.text(out, ZoneId.systemDefault());
          if (launched != null) {
            PrintWriter childOut = json ? err : out;
            pumps.add(OutputPump.start(launched.process().getInputStream(), childOut, "stdout"));
            pumps.add(OutputPump.start(launched.process().getErrorStream(), err, "stderr"));
            launched.release();
          }
          long started = System.nanoTime();
          long[] counts = new long[3];
          int exit = loop(tracer, renderer, counts, target, launched, limit, started);
          for (Thread p : pumps) {
            p.join(2000);
          }
          err.printf("%n%d calls, %d returns in %.1f s, %d dropped%n", counts[0], counts[1],
              (System.nanoTime() - started) / 1e9, counts[2]);
          out.flush();
          err.flush();
          return exit;
        }
      } finally {
        if (launched != null) {
          launched.close();
        }
      }
    }
  }

  private int loop(ArgsTracer tracer, ArgsRenderer renderer, long[] counts, Target target,
      Launcher.Launched launched, Duration limit, long started) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.set(true);
      try {
        finished.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gotrace-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    long deadline = limit == null ? Long.MAX_VALUE : started + limit.toNanos();
    long[] seen = {0};
    Consumer<ArgsEvent> sink = e -> {
      if (count > 0 && seen[0] >= count) {
        return;
      }
      seen[0]++;
      if (e instanceof ArgsEvent.Call) {
        counts[0]++;
      } else if (e instanceof ArgsEvent.Return) {
        counts[1]++;
      } else if (e instanceof ArgsEvent.Lost l) {
        counts[2] += l.count();
      }
      renderer.event(e);
    };
    try {
      while (!stop.get()) {
        tracer.poll(POLL_MS, sink);
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
      tracer.drain(sink);
      if (launched != null && !stop.get() && !launched.process().isAlive()) {
        return launched.process().waitFor();
      }
      return ExitCode.OK.code();
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting because of a signal; the hook is already running
      }
    }
  }
}
