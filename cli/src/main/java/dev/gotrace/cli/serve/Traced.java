package dev.gotrace.cli.serve;

import dev.gotrace.core.metrics.MetricsSnapshot;
import dev.gotrace.core.metrics.SnapshotExchange;
import dev.gotrace.core.metrics.TargetInfo;
import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.spec.LatencySpec;
import dev.gotrace.core.trace.Session;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One traced process: its latency session (a uprobe per entry and exit site, filtered in the
 * kernel on its pid) and the exchange its series are exported through. Only the agent's loop
 * thread touches the session.
 */
final class Traced implements AutoCloseable {
  private final ServeConfig.Target target;
  private final ProcessTable.Proc proc;
  private final String path;
  private final Planned planned;
  private final Session session;
  private final TargetInfo info;
  private final SnapshotExchange exchange;

  private Traced(ServeConfig.Target target, ProcessTable.Proc proc, String path, Planned planned, Session session) {
    this.target = target;
    this.proc = proc;
    this.path = path;
    this.planned = planned;
    this.session = session;
    this.info = TargetInfo.of(Path.of(path), planned.bin().goVersion().toString(), proc.pid());
    this.exchange = new SnapshotExchange(MetricsSnapshot.empty(info, LatencySpec.keyLabels(planned.plan())));
  }

  /** Attaches {@code planned} to {@code proc} (its pid only); {@code stop} ends a long attach early. */
  static Traced attach(ServeConfig.Target target, ProcessTable.Proc proc, String path, Planned planned,
      BooleanSupplier stop) {
    Session s = Session.open(LatencySpec.of(planned.plan(), LatencySpec.DEFAULT_MAX_INFLIGHT, OptionalLong.empty(),
        false), planned.bin(), List.of(proc.pid()), Set.of(), stop);
    return new Traced(target, proc, path, planned, s);
  }

  ServeConfig.Target target() {
    return target;
  }

  ProcessTable.Proc proc() {
    return proc;
  }

  /** The executable as the log names it. */
  String path() {
    return path;
  }

  LatencyPlan plan() {
    return planned.plan();
  }

  SnapshotExchange source() {
    return exchange;
  }

  /** On every turn of the loop: a snapshot when an exporter is waiting for one. */
  void offer() {
    exchange.offer(this::snapshot);
  }

  private MetricsSnapshot snapshot() {
    return LatencySpec.snapshot(session, planned.plan(), info);
  }

  /** The final numbers: exporters get these from now on, without waiting for the loop. */
  void finish() {
    exchange.close(snapshot());
  }

  /** Detaches: exporters still waiting get the last numbers, then the probes are removed. */
  @Override
  public void close() {
    try {
      exchange.close(exchange.last());
    } finally {
      session.close();
    }
  }
}
