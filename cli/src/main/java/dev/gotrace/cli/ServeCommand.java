package dev.gotrace.cli;

import dev.gotrace.cli.serve.Agent;
import dev.gotrace.cli.serve.ConfigException;
import dev.gotrace.cli.serve.ConfigReader;
import dev.gotrace.cli.serve.ServeConfig;
import dev.gotrace.cli.serve.Signals;
import dev.gotrace.export.otlp.OtlpPush;
import dev.gotrace.export.prometheus.PrometheusEndpoint;
import dev.gotrace.probes.link.Uprobes;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gotrace serve CONFIG}: the agent of {@link dev.gotrace.cli.serve}, with its exporters.
 * It runs until SIGTERM or SIGINT (then detaches everything and exits 0); SIGHUP reloads CONFIG.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {
      "An agent: latency of CONFIG's processes, for Prometheus and OTLP.",
      "CONFIG (YAML) lists targets: processes by executable (binary: PATH) or by a glob on the process name"
          + " (process: PATTERN), each with function patterns and optionally where:, by: and max_keys: as latency"
          + " takes them; and where to export: prometheus: [ADDR:]PORT (/metrics, loopback unless an address is"
          + " given), otlp: {url: URL, interval: TIME}, pid_label: true|false; scan_interval: TIME (default 1s).",
      "Every scan_interval it scans /proc, attaches to each new matching process (one latency trace, filtered"
          + " on its pid) and detaches from those that exited; one that fails is logged and the others go on."
          + " Every change is one line on stderr.",
      "SIGHUP reloads CONFIG (a bad file is logged and the running one kept); SIGTERM or SIGINT detaches"
          + " everything and exits 0. An error in CONFIG at the start names its line and exits 2.",
      "Needs root (or CAP_BPF + CAP_PERFMON, and CAP_SYS_PTRACE to read other users' /proc/PID/exe)."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML file: targets and exporters"
      + " (see deploy/serve.yaml and the README).")
  Path file;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ServeConfig config = read(file);
    Uprobes.choose(); // no privileges or no uprobes: refused now, not at the first process
    Agent agent = new Agent(config, err, ServeCommand::explain);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = null;
    Signals signals = null;
    PrometheusEndpoint prometheus = null;
    OtlpPush otlp = null;
    try {
      if (config.prometheus().isPresent()) {
        prometheus = bind(config.prometheus().get(), agent, config);
        err.println("gotrace serve: serving metrics at http://" + host(config.prometheus().get()) + ":"
            + prometheus.port() + "/metrics");
      }
      if (config.otlp().isPresent()) {
        ServeConfig.Otlp o = config.otlp().get();
        otlp = OtlpPush.start(o.url(), o.interval(), agent::sources, config.pidLabel(), line -> {
          err.println(line);
          err.flush();
        });
        err.println("gotrace serve: pushing metrics to " + o.url() + " every " + ServeConfig.text(o.interval()));
      }
      signals = Signals.install(agent::reload, agent::stop);
      // a stop the handlers could not take (-Xrs, SIGINT ignored): the JVM's exit waits for the detach
      hook = new Thread(() -> {
        agent.stop();
        try {
          finished.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "gotrace-serve-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      List<String> refused = signals.refused();
      int n = config.targets().size();
      err.println("gotrace serve: " + file.getFileName() + ": " + n + " target" + (n == 1 ? "" : "s") + " ("
          + String.join(", ", config.targets().stream().map(t -> t.name() + ": " + t.select().describe()).toList())
          + "), scanning /proc every " + ServeConfig.text(config.scanInterval())
          + (refused.isEmpty() ? "" : "; note: " + String.join(", ", refused) + " keep the JVM's default"));
      err.flush();
      OtlpPush push = otlp;
      Optional<Agent.Failure> fatal = agent.run(() -> {
        if (push != null) {
          push.close(); // the final numbers, before the probes go
        }
      });
      otlp = null;
      if (fatal.isPresent()) {
        throw new UserException(ExitCode.NO_PERMISSION, fatal.get().message(),
            "run gotrace serve as root, or with CAP_BPF, CAP_PERFMON and CAP_SYS_PTRACE (see deploy/)");
      }
      return ExitCode.OK.code();
    } finally {
      if (otlp != null) {
        otlp.close();
      }
      if (prometheus != null) {
        prometheus.close();
      }
      err.flush();
      finished.countDown();
      if (signals != null) {
        signals.close();
      }
      try {
        if (hook != null) {
          Runtime.getRuntime().removeShutdownHook(hook);
        }
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting (a signal the handlers could not take): the hook runs and is released now
      }
    }
  }

  /** CONFIG read and checked: a missing file is exit 8, anything wrong in it one line and exit 2. */
  static ServeConfig read(Path file) {
    try {
      return ConfigReader.read(file);
    } catch (NoSuchFileException e) {
      throw new UserException(ExitCode.NO_TARGET, "no such file: " + file, "give the path of a serve config"
          + " (an example: deploy/serve.yaml)");
    } catch (AccessDeniedException e) {
      throw new UserException(ExitCode.NO_PERMISSION, "cannot read " + file + ": permission denied", null);
    } catch (IOException e) {
      throw new UserException(ExitCode.NO_TARGET, "cannot read " + file + ": " + e.getMessage(), null);
    } catch (ConfigException e) {
      throw new UserException(ExitCode.USAGE, e.getMessage(), null);
    }
  }

  private static PrometheusEndpoint bind(ServeConfig.Listen at, Agent agent, ServeConfig config) {
    try {
      return PrometheusEndpoint.start(at.address(), agent::sources, config.pidLabel());
    } catch (IOException e) {
      String why = e instanceof BindException && e.getMessage() != null
          && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("in use") ? "address in use"
          : e.getMessage();
      throw new UserException(ExitCode.USAGE, config.file().getFileName() + ":" + at.line() + ": prometheus "
          + at.text() + ": " + why, null);
    }
  }

  private static String host(ServeConfig.Listen at) {
    String h = at.address().getAddress().getHostAddress();
    return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
  }

  /** The CLI's own one-line message for a failure below; missing privileges end the agent. */
  private static Agent.Failure explain(Throwable t) {
    UserException u = Errors.toUserException(t);
    boolean fatal = u.exitCode() == ExitCode.NO_PERMISSION && !(t instanceof UserException)
        && t instanceof dev.gotrace.probes.priv.MissingPrivilegeException;
    return new Agent.Failure(u.getMessage(), fatal);
  }
}
