package dev.gotrace.goelf.buildinfo;

import dev.gotrace.goelf.version.GoVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code go build} records in a binary ({@code .go.buildinfo}): the toolchain version and
 * the module information, as {@code runtime/debug.BuildInfo} exposes it at run time.
 *
 * @param goVersionText the version string as stored, e.g. {@code go1.22.12}
 * @param goVersion the same, parsed
 * @param path the main package path ({@code path} line), e.g. {@code example.com/server}; empty
 *     when built without module information
 * @param main the main module ({@code mod} line), if recorded
 * @param deps dependencies in the recorded order
 * @param settings build settings ({@code build KEY=VALUE}, Go 1.18+) in the recorded order
 */
public record BuildInfo(
    String goVersionText,
    Optional<GoVersion> goVersion,
    String path,
    Optional<Module> main,
    List<Module> deps,
    Map<String, String> settings) {

  /** A build setting such as {@code GOARCH}, {@code CGO_ENABLED}, {@code -trimpath}, {@code -ldflags}. */
  public Optional<String> setting(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  /** Whether setting {@code key} is recorded as "true" (e.g. {@code -trimpath}). */
  public boolean flag(String key) {
    return "true".equals(settings.get(key));
  }
}
