package dev.gotrace.cli.serve;

import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.goelf.GoBinary;

/** A target's plan for one executable file, shared by every process that runs it. */
record Planned(GoBinary bin, LatencyPlan plan) implements AutoCloseable {
  @Override
  public void close() {
    bin.close();
  }
}
