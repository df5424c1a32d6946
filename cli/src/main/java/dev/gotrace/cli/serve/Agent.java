package dev.gotrace.cli.serve;

import dev.gotrace.cli.render.NoteText;
import dev.gotrace.core.metrics.MetricsSource;
import dev.gotrace.core.plan.LatencyPlanner;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.target.Processes;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's loop: every {@code scan_interval} it scans {@code /proc}, attaches a latency trace
 * to each new process a target matches and detaches the ones whose process exited; on every turn
 * (50 ms) it offers each traced process's exporter a snapshot; on {@link #reload} it reads the
 * file again. One thread owns every session, so attaching, detaching, map reads and the list of
 * exported sources need no locks: a latency session without {@code --calls} streams nothing, so
 * the per-session work of a turn is answering a pending scrape (reading its maps, well under a
 * millisecond), which one thread does for many processes. The price: while a large plan attaches
 * (about 0.1 s per thousand probes) the other sessions' scrapes wait, up to the exchange's 2 s,
 * and then get their previous numbers.
 */
public final class Agent {
  /** How each turn waits: a stop or a reload ends the wait at once. */
  static final int TURN_MS = 50;

  /** What the agent tells about a failure: a one-line message, and whether it ends the agent (no privileges). */
  public record Failure(String message, boolean fatal) {}

  /** Classifies an exception from below (planning, attaching); the CLI's own error mapping. */
  @FunctionalInterface
  public interface Explain {
    Failure explain(Throwable t);
  }

  private final Object wake = new Object();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicBoolean reload = new AtomicBoolean();
  private final PrintWriter log;
  private final Explain explain;
  private ServeConfig config;
  private final Map<Integer, Traced> traced = new LinkedHashMap<>();
  private final Map<Integer, Object> failed = new HashMap<>();
  private final Map<PlanKey, Planned> plans = new HashMap<>();
  private volatile List<MetricsSource> sources = List.of();
  private Failure fatal;
  private boolean deniedNoted;

  private record PlanKey(String target, Object exeKey) {}

  public Agent(ServeConfig config, PrintWriter log, Explain explain) {
    this.config = config;
    this.log = log;
    this.explain = explain;
  }

  /** What the exporters read at each scrape or push: one source per traced process. */
  public List<MetricsSource> sources() {
    return sources;
  }

  /** Asks the loop to read the file again (SIGHUP); safe from any thread. */
  public void reload() {
    reload.set(true);
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Asks the loop to detach everything and return (SIGTERM, SIGINT); safe from any thread. */
  public void stop() {
    stop.set(true);
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** The running configuration (the last that read without error). */
  public ServeConfig config() {
    return config;
  }

  /**
   * Runs until {@link #stop}, then closes every process's exchange with its final numbers, runs
   * {@code beforeDetach} (the OTLP push's last push reads them) and detaches every process;
   * returns the failure that ended it early (missing privileges), if one did.
   */
  public Optional<Failure> run(Runnable beforeDetach) throws InterruptedException {
    noteMissingFiles(config);
    long lastScan = Long.MIN_VALUE;
    try {
      while (!stop.get() && fatal == null) {
        if (reload.getAndSet(false)) {
          if (reread()) {
            lastScan = Long.MIN_VALUE;
          }
        }
        long now = System.nanoTime();
        if (lastScan == Long.MIN_VALUE || now - lastScan >= config.scanInterval().toNanos()) {
          scan();
          lastScan = now;
        }
        for (Traced t : List.copyOf(traced.values())) {
          try {
            t.offer();
          } catch (RuntimeException e) {
            detach(t, "reading its numbers failed: " + explain.explain(e).message());
          }
        }
        synchronized (wake) {
          if (!stop.get() && !reload.get()) {
            wake.wait(TURN_MS);
          }
        }
      }
    } finally {
      for (Traced t : traced.values()) {
        t.finish();
      }
      beforeDetach.run();
      int n = traced.size();
      for (Traced t : List.copyOf(traced.values())) {
        detach(t, "stopped");
      }
      plans.values().forEach(Planned::close);
      plans.clear();
      log("stopped: " + n + " process" + (n == 1 ? "" : "es") + " detached");
    }
    return Optional.ofNullable(fatal);
  }

  private void scan() {
    ProcessTable.Scan found = ProcessTable.scan();
    List<ProcessTable.Proc> procs = found.procs();
    if (found.denied() > 0 && !deniedNoted) {
      deniedNoted = true;
      log("note: " + found.denied() + " processes' /proc/PID/exe may not be read (permission denied): they are"
          + " not matched; run gotrace serve as root or with CAP_SYS_PTRACE");
    }
    Map<Integer, ProcessTable.Proc> byPid = new HashMap<>();
    procs.forEach(p -> byPid.put(p.pid(), p));
    for (Traced t : List.copyOf(traced.values())) {
      ProcessTable.Proc now = byPid.get(t.proc().pid());
      if (now == null || !now.exeKey().equals(t.proc().exeKey())) {
        detach(t, now == null ? "exited" : "exec'd another program");
      }
    }
    failed.entrySet().removeIf(e -> byPid.get(e.getKey()) == null
        || !byPid.get(e.getKey()).exeKey().equals(e.getValue()));
    Map<Path, Optional<Object>> binaryKeys = new HashMap<>();
    for (ServeConfig.Target t : config.targets()) {
      if (t.select() instanceof ServeConfig.Binary b) {
        binaryKeys.put(b.path(), ProcessTable.fileKey(b.path()));
      }
    }
    for (ProcessTable.Proc p : procs) {
      if (stop.get() || fatal != null) {
        return;
      }
      if (traced.containsKey(p.pid()) || failed.containsKey(p.pid())) {
        continue;
      }
      for (ServeConfig.Target t : config.targets()) {
        if (matches(t.select(), p, binaryKeys)) {
          attach(t, p);
          break;
        }
      }
    }
    Set<PlanKey> used = new HashSet<>();
    traced.values().forEach(t -> used.add(new PlanKey(t.target().name(), t.proc().exeKey())));
    plans.entrySet().removeIf(e -> {
      if (used.contains(e.getKey())) {
        return false;
      }
      e.getValue().close(); // no process runs that file any more
      return true;
    });
  }

  private static boolean matches(ServeConfig.Select s, ProcessTable.Proc p, Map<Path, Optional<Object>> binaryKeys) {
    if (s instanceof ServeConfig.Binary b) {
      return binaryKeys.get(b.path()).map(k -> k.equals(p.exeKey())).orElse(false);
    }
    ServeConfig.Process glob = (ServeConfig.Process) s;
    return glob.matches(p.comm()) || glob.matches(p.exeName());
  }

  private void attach(ServeConfig.Target t, ProcessTable.Proc p) {
    Optional<Path> exe = Processes.executable(p.pid());
    if (exe.isEmpty()) {
      return; // exited since the scan
    }
    String path = Processes.display(exe.get());
    try {
      PlanKey key = new PlanKey(t.name(), p.exeKey());
      Planned planned = plans.get(key);
      if (planned != null && !Files.isRegularFile(planned.bin().path())) {
        planned.close(); // planned through a /proc/PID/root of a process that is gone
        plans.remove(key);
        planned = null;
      }
      if (planned == null) {
        planned = plan(t, exe.get());
        plans.put(key, planned);
        for (String note : NoteText.lines(planned.plan().notes(), false)) {
          log("note: target " + t.name() + " (" + path + "): " + note);
        }
      }
      Traced now = Traced.attach(t, p, path, planned, stop::get);
      traced.put(p.pid(), now);
      publish();
      int n = planned.plan().functions().size();
      log("attached pid " + p.pid() + " (" + path + ", target " + t.name() + ": " + n + " function"
          + (n == 1 ? "" : "s") + ", " + planned.plan().probeCount() + " probes)");
    } catch (GoBinaryException | RuntimeException e) {
      Failure f = explain.explain(e);
      if (f.fatal()) {
        fatal = f;
        return;
      }
      failed.put(p.pid(), p.exeKey());
      if (!Processes.alive(p.pid())) {
        return; // exited while it was being planned or attached: the next scan says nothing more either
      }
      log("pid " + p.pid() + " (" + path + "): " + f.message());
    }
  }

  private static Planned plan(ServeConfig.Target t, Path exe) throws GoBinaryException {
    GoBinary bin = GoBinary.open(exe);
    try {
      return new Planned(bin, new LatencyPlanner(Planner.DEFAULT_MAX_SITES).plan(bin, t.patterns(), t.question(),
          t.maxKeys()));
    } catch (GoBinaryException | RuntimeException e) {
      bin.close();
      throw e;
    }
  }

  private void detach(Traced t, String why) {
    traced.remove(t.proc().pid());
    publish(); // first: the next scrape no longer shows its series
    try {
      t.close();
      log("detached pid " + t.proc().pid() + " (" + t.path() + ", " + why + ")");
    } catch (RuntimeException e) {
      log("pid " + t.proc().pid() + " (" + t.path() + "): detaching failed: " + explain.explain(e).message());
    }
  }

  private void publish() {
    List<MetricsSource> now = new ArrayList<>();
    traced.values().forEach(t -> now.add(t.source()));
    sources = List.copyOf(now);
  }

  /** Reads the file again; a bad one is logged and the running config kept. True when it was applied. */
  private boolean reread() {
    Path file = config.file();
    ServeConfig next;
    try {
      next = ConfigReader.read(file);
    } catch (NoSuchFileException e) {
      log("cannot reload " + file.getFileName() + ": no such file " + file + "; kept the running config");
      return false;
    } catch (IOException e) {
      log("cannot reload " + file.getFileName() + ": " + e.getMessage() + "; kept the running config");
      return false;
    } catch (ConfigException e) {
      log(e.getMessage() + "; kept the running config");
      return false;
    }
    if (!Objects.equals(next.prometheus().map(ServeConfig.Listen::address),
        config.prometheus().map(ServeConfig.Listen::address)) || !next.otlp().equals(config.otlp())
        || next.pidLabel() != config.pidLabel()) {
      log("note: prometheus, otlp and pid_label take effect at a restart; kept the running ones");
    }
    for (Traced t : List.copyOf(traced.values())) {
      Optional<ServeConfig.Target> same = next.targets().stream().filter(n -> n.name().equals(t.target().name()))
          .findFirst();
      if (same.isEmpty()) {
        detach(t, "target " + t.target().name() + " no longer in " + file.getFileName());
      } else if (!same.get().sameAs(t.target())) {
        detach(t, "target " + t.target().name() + " changed");
      }
    }
    plans.entrySet().removeIf(e -> {
      boolean kept = next.targets().stream().anyMatch(n -> n.name().equals(e.getKey().target())
          && config.targets().stream().anyMatch(o -> o.name().equals(n.name()) && o.sameAs(n)));
      if (!kept) {
        e.getValue().close(); // planned for a target that is gone or changed
      }
      return !kept;
    });
    failed.clear(); // a process that failed under the old file gets a new try
    config = new ServeConfig(next.file(), config.prometheus(), config.otlp(), config.pidLabel(), next.scanInterval(),
        next.targets());
    int n = next.targets().size();
    log("reloaded " + file.getFileName() + ": " + n + " target" + (n == 1 ? "" : "s"));
    noteMissingFiles(next);
    return true;
  }

  private void noteMissingFiles(ServeConfig c) {
    for (ServeConfig.Target t : c.targets()) {
      if (t.select() instanceof ServeConfig.Binary b && ProcessTable.fileKey(b.path()).isEmpty()) {
        log("note: target " + t.name() + ": no file " + b.path() + " (yet); its processes are attached once it runs");
      }
    }
  }

  private void log(String line) {
    synchronized (log) {
      log.println("gotrace serve: " + line);
      log.flush();
    }
  }
}
