package dev.gotrace.probes.support;

import dev.gotrace.probes.link.AttachMode;
import dev.gotrace.probes.link.UprobeSite;
import java.nio.file.Path;
import java.util.List;

/**
 * A tracer in its own JVM, for the SIGKILL test: {@code TracerMain <mode> <binary> <offset>}
 * attaches {@link TestPrograms#countAndRecord} to one site, prints {@code attached}, and sleeps
 * until killed.
 */
public final class TracerMain {
  private TracerMain() {}

  public static void main(String[] args) throws InterruptedException {
    AttachMode mode = AttachMode.valueOf(args[0]);
    Path binary = Path.of(args[1]);
    long offset = Long.parseLong(args[2]);
    Tracer t = new Tracer(mode, binary, List.of(new UprobeSite(offset, 1)), 0, 1 << 16);
    System.out.println("attached " + t.link().mode());
    System.out.flush();
    while (true) {
      t.drain();
      Thread.sleep(50);
    }
  }
}
