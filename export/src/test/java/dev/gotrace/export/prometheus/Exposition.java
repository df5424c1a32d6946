package dev.gotrace.export.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of a text exposition (the client's output), for assertions: name, labels, value. */
record Exposition(List<Exposition.Sample> samples) {
  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  record Sample(String name, Map<String, String> labels, double value) {}

  static Exposition parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        int at = 0;
        while (l.lookingAt()) {
          labels.put(l.group(1), l.group(2));
          at = l.end();
          l.region(at, m.group(2).length());
        }
        if (at != m.group(2).length()) {
          throw new IllegalArgumentException("labels not parsed: " + line);
        }
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return new Exposition(out);
  }

  /** The samples named {@code name} whose labels include every pair of {@code match}. */
  List<Sample> find(String name, Map<String, String> match) {
    return samples.stream().filter(s -> s.name.equals(name)
        && match.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels.get(e.getKey())))).toList();
  }

  /** The value of the one sample named {@code name} with {@code match}; fails when not exactly one. */
  double value(String name, Map<String, String> match) {
    List<Sample> s = find(name, match);
    if (s.size() != 1) {
      throw new AssertionError(name + match + ": " + s.size() + " samples: " + s);
    }
    return s.get(0).value;
  }
}
