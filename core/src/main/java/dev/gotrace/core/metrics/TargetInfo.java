package dev.gotrace.core.metrics;

import java.nio.file.Path;

/**
 * The traced process every series of one snapshot belongs to.
 *
 * @param binary the executable's file name ({@code server}): the {@code binary} label
 * @param path the executable's path, for OTLP's resource
 * @param goVersion the Go release that built it ({@code go1.27.0}): the {@code go_version} label
 * @param pid the process; 0 when the trace covers every process running the binary
 */
public record TargetInfo(String binary, Path path, String goVersion, int pid) {
  public static TargetInfo of(Path path, String goVersion, int pid) {
    Path name = path.getFileName();
    return new TargetInfo(name == null ? path.toString() : name.toString(), path, goVersion, pid);
  }
}
