package dev.gotrace.cli.serve;

import java.nio.file.Path;

/** What is wrong with a serve config file, at a line: {@code serve.yaml:7: unknown key "patern" (known: ...)}. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  ConfigException(Path file, int line, String problem) {
    super(file.getFileName() + ":" + line + ": " + problem);
  }

  ConfigException(Path file, String problem) {
    super(file.getFileName() + ": " + problem);
  }
}
