package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.inspect.BinarySummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code gotrace info} as text or JSON. */
public final class InfoRenderer {
  private InfoRenderer() {}

  public static void text(BinarySummary s, PrintWriter out) {
    row(out, "file", s.path().toString());
    row(out, "go", s.goVersion());
    if (!s.modulePath().isEmpty()) {
      row(out, "module", s.modulePath() + (s.moduleVersion().isEmpty() ? "" : " " + s.moduleVersion()));
    }
    row(out, "arch", s.arch());
    row(out, "abi", s.abi().equals("register")
        ? "register (arguments in registers; Go internal ABI)"
        : "stack (arguments on the stack; ABI0)");
    row(out, "build", s.buildMode());
    row(out, "stripped", s.stripped() ? "yes (no symbol table)" : "no");
    row(out, "dwarf", s.dwarfProblem().map(p -> "unreadable (" + p + "): treated as absent, argument types unavailable")
        .orElse(s.dwarf() ? "yes" : "no (argument types unavailable)"));
    row(out, "functions", s.functions() + " (" + s.mainFunctions() + " in package main)");
    row(out, "pclntab", s.pclntabFormat() + " format, text start 0x" + Long.toHexString(s.textStart()));
    row(out, "moduledata", s.moduleData()
        .map(m -> String.format("0x%x (from %s), %s; text 0x%x-0x%x, proven", m.address(), m.source(), m.layout(),
            m.text(), m.etext()))
        .orElse("not found (text start from the pclntab header)"));
    s.buildId().ifPresent(id -> row(out, "build-id", id));
    if (!s.settings().isEmpty()) {
      row(out, "settings", s.settings().entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
    }
  }

  private static void row(PrintWriter out, String key, String value) {
    out.printf("%-10s %s%n", key, value);
  }

  public static void json(BinarySummary s, PrintWriter out) {
    JsonGenerator g = Json.generator(out);
    try {
      g.writeStartObject();
      g.writeStringField("file", s.path().toString());
      g.writeStringField("goVersion", s.goVersion());
      g.writeStringField("module", s.modulePath());
      g.writeStringField("moduleVersion", s.moduleVersion());
      g.writeStringField("arch", s.arch());
      g.writeStringField("abi", s.abi());
      g.writeBooleanField("pie", s.pie());
      g.writeBooleanField("stripped", s.stripped());
      g.writeBooleanField("externalLink", s.externallyLinked());
      g.writeBooleanField("dwarf", s.dwarf());
      if (s.dwarfProblem().isPresent()) {
        g.writeStringField("dwarfProblem", s.dwarfProblem().get());
      }
      g.writeNumberField("functions", s.functions());
      g.writeNumberField("mainFunctions", s.mainFunctions());
      g.writeStringField("pclntab", s.pclntabFormat());
      g.writeNumberField("textStart", s.textStart());
      if (s.moduleData().isPresent()) {
        g.writeObjectFieldStart("moduleData");
        g.writeNumberField("address", s.moduleData().get().address());
        g.writeStringField("source", s.moduleData().get().source().toString());
        g.writeStringField("layout", s.moduleData().get().layout().toString());
        g.writeNumberField("text", s.moduleData().get().text());
        g.writeNumberField("etext", s.moduleData().get().etext());
        g.writeEndObject();
      }
      if (s.buildId().isPresent()) {
        g.writeStringField("buildId", s.buildId().get());
      }
      g.writeObjectFieldStart("settings");
      for (Map.Entry<String, String> e : s.settings().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Json.endLine(g, out);
  }
}
