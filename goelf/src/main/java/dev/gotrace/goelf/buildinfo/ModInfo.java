package dev.gotrace.goelf.buildinfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the module information text: tab-separated lines {@code path}, {@code mod}, {@code dep},
 * {@code =>} (replaces the module of the previous line) and {@code build KEY=VALUE}, where a key
 * or value may be a Go-quoted string. Format per {@code runtime/debug/mod.go}
 * ({@code BuildInfo.String} and {@code ParseBuildInfo}); the 16-byte sentinel framing per
 * {@code debug/buildinfo/buildinfo.go} (cmd/go's {@code modload.infoStart}/{@code infoEnd}).
 * Lines that do not parse are skipped: build info is advisory, never a reason to refuse a binary.
 */
final class ModInfo {
  record Parsed(String path, Optional<Module> main, List<Module> deps, Map<String, String> settings) {}

  private ModInfo() {}

  /** Removes the sentinels around the text, as debug/buildinfo does; "" when they are missing. */
  static String unframe(String mod) {
    if (mod.length() >= 33 && mod.charAt(mod.length() - 17) == '\n') {
      return mod.substring(16, mod.length() - 16);
    }
    return "";
  }

  static Parsed parse(String text) {
    String path = "";
    Module main = null;
    List<Module> deps = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    Module last = null; // the module a following "=>" line replaces
    boolean lastIsMain = false;
    for (String line : text.split("\n", -1)) {
      String[] f = line.split("\t", -1);
      switch (f[0]) {
        case "path" -> {
          if (f.length >= 2) {
            path = f[1];
          }
        }
        case "mod", "dep" -> {
          if (f.length >= 3) {
            Module m = new Module(f[1], f[2], f.length >= 4 ? f[3] : "", Optional.empty());
            if (f[0].equals("mod")) {
              main = m;
              lastIsMain = true;
            } else {
              deps.add(m);
              lastIsMain = false;
            }
            last = m;
          }
        }
        case "=>" -> {
          if (last != null && f.length >= 3) {
            Module r = new Module(f[1], f[2], f.length >= 4 ? f[3] : "", Optional.empty());
            Module replaced = new Module(last.path(), last.version(), last.sum(), Optional.of(r));
            if (lastIsMain) {
              main = replaced;
            } else {
              deps.set(deps.size() - 1, replaced);
            }
            last = null;
          }
        }
        case "build" -> {
          if (f.length >= 2) {
            setting(line.substring("build\t".length()), settings);
          }
        }
        default -> { }
      }
    }
    return new Parsed(path, Optional.ofNullable(main), List.copyOf(deps),
        Collections.unmodifiableMap(settings));
  }

  private static void setting(String kv, Map<String, String> out) {
    String key;
    String rest;
    if (kv.startsWith("\"")) {
      int end = GoQuote.endOfQuoted(kv, 0);
      if (end < 0 || end >= kv.length() || kv.charAt(end) != '=') {
        return;
      }
      key = GoQuote.unquote(kv.substring(0, end));
      rest = kv.substring(end + 1);
    } else {
      int eq = kv.indexOf('=');
      if (eq < 0) {
        return;
      }
      key = kv.substring(0, eq);
      rest = kv.substring(eq + 1);
    }
    String value = rest.startsWith("\"") ? GoQuote.unquote(rest) : rest;
    if (key != null && value != null) {
      out.put(key, value);
    }
  }
}
