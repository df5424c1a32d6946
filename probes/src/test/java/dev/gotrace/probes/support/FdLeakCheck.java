package dev.gotrace.probes.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves descriptors open: compares {@code /proc/self/fd} before and after.
 * What the JVM opens lazily on its own (jar files for class loading, {@code /dev/random} and
 * {@code /dev/urandom} for SecureRandom, its sockets) is not the test's doing and is ignored, as
 * is the directory stream the snapshot itself uses.
 */
public final class FdLeakCheck implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);

  @Override
  public void beforeEach(ExtensionContext ctx) {
    ctx.getStore(NS).put("fds", snapshot());
  }

  @Override
  public void afterEach(ExtensionContext ctx) throws InterruptedException {
    @SuppressWarnings("unchecked")
    Map<Integer, String> before = ctx.getStore(NS).get("fds", Map.class);
    List<String> leaked = leaked(before);
    // Another JVM thread may hold a file open for a moment (the container-metrics code reads
    // cgroup files): a leak must persist to count.
    for (int i = 0; i < 10 && !leaked.isEmpty(); i++) {
      Thread.sleep(50);
      leaked = leaked(before);
    }
    if (!leaked.isEmpty()) {
      fail("leaked " + leaked.size() + " file descriptor(s): " + leaked);
    }
  }

  private static List<String> leaked(Map<Integer, String> before) {
    List<String> leaked = new ArrayList<>();
    snapshot().forEach((fd, target) -> {
      if (!target.equals(before.get(fd)) && !jvmOwn(target)) {
        leaked.add(fd + " -> " + target);
      }
    });
    return leaked;
  }

  private static boolean jvmOwn(String target) {
    return target.endsWith(".jar") || target.equals("/dev/random") || target.equals("/dev/urandom")
        || target.startsWith("socket:") || target.equals("/proc/" + ProcessHandle.current().pid() + "/fd");
  }

  /** Open descriptors of this process and what they point to. */
  public static Map<Integer, String> snapshot() {
    Map<Integer, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        try {
          out.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
        } catch (IOException e) {
          // the descriptor of the directory listing itself disappears while we read
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
