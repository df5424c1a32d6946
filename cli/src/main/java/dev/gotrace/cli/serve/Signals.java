package dev.gotrace.cli.serve;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;

/**
 * SIGHUP, SIGTERM and SIGINT for the agent, through {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, exported and supported in Java 17 for exactly this; Java has no other
 * way to catch SIGHUP). A handler replaces the JVM's own (which would run the shutdown hooks and
 * exit with 128 + the signal), so a SIGTERM ends the agent's loop, which detaches everything and
 * exits 0, as systemd expects of a service it stops. A signal the JVM may not take (it runs with
 * {@code -Xrs}, or SIGINT is ignored as in a background job) keeps its default: the shutdown hook
 * then detaches.
 */
public final class Signals {
  private Signals() {}

  /** Installs {@code reload} for HUP and {@code stop} for TERM and INT; returns the signals it could not take. */
  public static List<String> install(Runnable reload, Runnable stop) {
    List<String> refused = new ArrayList<>();
    handle("HUP", reload, refused);
    handle("TERM", stop, refused);
    handle("INT", stop, refused);
    return refused;
  }

  private static void handle(String name, Runnable action, List<String> refused) {
    try {
      Signal.handle(new Signal(name), s -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      refused.add("SIG" + name);
    }
  }
}
