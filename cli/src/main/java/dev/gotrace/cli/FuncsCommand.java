package dev.gotrace.cli;

import dev.gotrace.cli.render.CallRenderer;
import dev.gotrace.core.agg.CallCounts;
import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.core.target.Launcher;
import dev.gotrace.core.target.Processes;
import dev.gotrace.core.trace.FuncsTracer;
import dev.gotrace.goelf.GoBinary;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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

/** {@code gotrace funcs [BINARY] PATTERN... [-p PID]... [-- COMMAND ARGS...]}: every call, live. */
@Command(name = "funcs", mixinStandardHelpOptions = true,
    customSynopsis = "gotrace funcs [BINARY] PATTERN... [-p PID]... [--json] [--duration TIME] [--count N]"
        + " [--max-sites N] [-- COMMAND ARGS...]",
    description = {
      "Print every call of the matching functions as it happens: time, pid, goroutine id, function, caller.",
      "Target: a BINARY (every process running it, later ones too), -p PID, -- COMMAND (launched, traced from"
          + " its first instruction), or nothing (the one running Go process with matching functions).",
      "Ends on Ctrl-C, SIGTERM, --duration, --count or the end of the target, with calls per function and"
          + " dropped events. Needs root (or CAP_BPF + CAP_PERFMON)."
    })
final class FuncsCommand extends TraceOptions implements java.util.concurrent.Callable<Integer> {
  /** Polling interval: how soon the end of the target or a stop request is noticed. */
  private static final int POLL_MS = 100;

  /** Called once the probes are attached (the demo makes its requests then). */
  Runnable afterAttach;

  /** Set by Ctrl-C or SIGTERM (the shutdown hook); the loop then ends, detaches and summarises. */
  private final AtomicBoolean stop = new AtomicBoolean();
  /** Counted down when the summary is printed and everything is detached; the hook waits for it. */
  private final CountDownLatch finished = new CountDownLatch(1);

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
    try (GoBinary bin = Binaries.open(target.binary())) {
      ProbePlan plan = new Planner(maxSites).plan(bin, target.patterns());
      plan.notes().forEach(n -> err.println("gotrace: note: " + n));
      Launcher.Launched launched = target.launch() ? Launcher.start(target.command()) : null;
      List<Thread> pumps = new ArrayList<>();
      try {
        // A launched command keeps the shell's pid through exec; the kernel filters on it (a
        // process's pid filter follows exec, since Linux 6.10) and so does the decoder.
        Set<Integer> accept = launched != null ? Set.of(launched.pid()) : Set.of();
        List<Integer> kernelPids = launched != null ? List.of(launched.pid()) : target.kernelPids();
        try (FuncsTracer tracer = FuncsTracer.attach(plan, CallDecoder.Symbolizer.of(bin),
            kernelPids, accept, FuncsTracer.DEFAULT_RING_BYTES)) {
          if (!tracer.attachNote().isEmpty()) {
            err.println("gotrace: note: " + tracer.attachNote());
          }
          err.println("Tracing " + plan.sites().size() + " function" + (plan.sites().size() == 1 ? "" : "s")
              + " of " + target.display() + describe(target, launched) + ". Ctrl-C to end.");
          err.flush();
          int width = plan.sites().stream().mapToInt(s -> s.function().length()).max().orElse(8);
          CallRenderer renderer = json ? CallRenderer.json(out, err)
              : CallRenderer.text(out, ZoneId.systemDefault(), width);
          CallCounts counts = new CallCounts(plan.sites().stream().map(ProbeSite::function).distinct().toList());
          renderer.header();
          if (launched != null) {
            PrintWriter childOut = json ? err : out;
            pumps.add(pump(launched.process().getInputStream(), childOut, "stdout"));
            pumps.add(pump(launched.process().getErrorStream(), err, "stderr"));
            launched.release();
          }
          if (afterAttach != null) {
            afterAttach.run();
          }
          long started = System.nanoTime();
          int exit = loop(tracer, renderer, counts, target, launched, limit, started);
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

  private static String describe(Target t, Launcher.Launched launched) {
    if (launched != null) {
      return " (launched as pid " + launched.pid() + ")";
    }
    if (!t.kernelPids().isEmpty()) {
      return " (pid " + String.join(", ", t.kernelPids().stream().map(String::valueOf).toList()) + ")";
    }
    return " (every process running it)";
  }

  /** Polls until stopped; returns the exit code (the launched command's, when there is one). */
  private int loop(FuncsTracer tracer, CallRenderer renderer, CallCounts counts, Target target,
      Launcher.Launched launched, Duration limit, long started) throws InterruptedException {
    long deadline = limit == null ? Long.MAX_VALUE : started + limit.toNanos();
    long[] seen = {0};
    Consumer<Event> sink = e -> {
      if (count > 0 && seen[0] >= count) {
        return;
      }
      seen[0]++;
      counts.add(e);
      renderer.event(e);
    };
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
  }

  /** Copies a launched command's output to {@code to}, line by line. */
  private static Thread pump(InputStream in, PrintWriter to, String name) {
    Thread t = new Thread(() -> {
      try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = r.read()) >= 0) {
          line.append((char) c);
          if (c == '\n') {
            synchronized (to) {
              to.print(line);
              to.flush();
            }
            line.setLength(0);
          }
        }
        if (line.length() > 0) {
          synchronized (to) {
            to.print(line);
            to.flush();
          }
        }
      } catch (IOException e) {
        // the command closed its output
      }
    }, "gotrace-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
