package dev.gotrace.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/** Copies a launched command's output to one of gotrace's writers, whole lines at a time. */
final class OutputPump {
  private OutputPump() {}

  static Thread start(InputStream in, PrintWriter to, String name) {
    Thread t = new Thread(() -> {
      try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = r.read()) >= 0) {
          line.append((char) c);
          if (c == '\n') {
            emit(to, line);
          }
        }
        emit(to, line);
      } catch (IOException e) {
        // the command closed its output
      }
    }, "gotrace-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void emit(PrintWriter to, StringBuilder line) {
    if (line.length() == 0) {
      return;
    }
    synchronized (to) {
      to.print(line);
      to.flush();
    }
    line.setLength(0);
  }
}
