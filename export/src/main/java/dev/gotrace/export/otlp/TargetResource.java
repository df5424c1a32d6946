package dev.gotrace.export.otlp;

import dev.gotrace.core.metrics.TargetInfo;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The OTLP resource of a traced process, in OpenTelemetry's semantic conventions: the host, the
 * binary as the service, the executable, the pid (when one process is traced) and Go as the
 * runtime. {@code service.instance.id} is {@code host/pid} (the host alone for a binary-wide
 * trace), so two hosts running one binary stay two series in Prometheus (its {@code instance}).
 */
final class TargetResource {
  private static final String HOST = hostName();

  private TargetResource() {}

  static Resource of(TargetInfo t) {
    AttributesBuilder a = Attributes.builder()
        .put("host.name", HOST)
        .put("service.name", t.binary())
        .put("service.instance.id", t.pid() > 0 ? HOST + "/" + t.pid() : HOST)
        .put("process.executable.name", t.binary())
        .put("process.executable.path", t.path().toString())
        .put("process.runtime.name", "go")
        .put("process.runtime.version", t.goVersion());
    if (t.pid() > 0) {
      a.put("process.pid", (long) t.pid());
    }
    return Resource.create(a.build());
  }

  /** The kernel's host name (what {@code hostname} prints), without a DNS lookup. */
  private static String hostName() {
    try {
      String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      if (!h.isEmpty()) {
        return h;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux's procfs: ask Java
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
