package dev.gotrace.cli.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP, SIGTERM and SIGINT for the agent, through {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, exported and supported in Java 17 for exactly this; Java has no other
 * way to catch SIGHUP). A handler replaces the JVM's own (which would run the shutdown hooks and
 * exit with 128 + the signal), so a SIGTERM ends the agent's loop, which detaches everything and
 * exits 0, as systemd expects of a service it stops. A signal the JVM may not take (it runs with
 * {@code -Xrs}, or SIGINT is ignored as in a background job) keeps its default: the shutdown hook
 * then detaches. {@link #close} puts the previous handlers back.
 */
public final class Signals implements AutoCloseable {
  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
  private final List<String> refused = new ArrayList<>();

  private Signals() {}

  /** Installs {@code reload} for HUP and {@code stop} for TERM and INT. */
  public static Signals install(Runnable reload, Runnable stop) {
    Signals s = new Signals();
    s.handle("HUP", reload);
    s.handle("TERM", stop);
    s.handle("INT", stop);
    return s;
  }

  /** The signals that kept the JVM's default ({@code SIGINT} in a background job). */
  public List<String> refused() {
    return List.copyOf(refused);
  }

  private void handle(String name, Runnable action) {
    try {
      Signal sig = new Signal(name);
      previous.put(sig, Signal.handle(sig, s -> action.run()));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      refused.add("SIG" + name);
    }
  }

  @Override
  public void close() {
    previous.forEach(Signal::handle);
    previous.clear();
  }
}
