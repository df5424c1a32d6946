package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.inspect.FunctionInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** {@code gotrace list}: one function at a time, as aligned text or NDJSON. */
public sealed interface ListRenderer permits ListRenderer.Text, ListRenderer.Ndjson {

  void function(FunctionInfo f);

  /** After the last function. */
  void end(int count);

  /** Writes out what is buffered: whole lines only. */
  void flush();

  static ListRenderer text(PrintWriter out, boolean sites) {
    return new Text(out, sites);
  }

  static ListRenderer json(PrintWriter out) {
    return new Ndjson(out, Json.generator(out));
  }

  /** {@code 0x00401000  main.f  file.go:12}, with indented site lines under it. */
  record Text(PrintWriter out, boolean sites) implements ListRenderer {
    private static final String INDENT = "            ";

    @Override
    public void function(FunctionInfo f) {
      if (!f.hasCode()) {
        out.printf("%-10s  %-40s %s%n", "(inlined)", f.name(), "no code of its own");
        inlined(f);
        return;
      }
      out.printf("%s  %-40s %s%n", hex(f.entry()), f.name(), source(f.file(), f.line()));
      if (sites && f.sites().isPresent()) {
        FunctionInfo.Sites s = f.sites().get();
        if (s.status().equals("UNDECODABLE")) {
          out.println(INDENT + "no probe sites: " + s.reason());
        } else {
          out.printf("%s%-9s %s  %s%s%n", INDENT, "probe", hex(s.probeEntry()),
              s.probeLine().orElse("?"), s.stackCheck() ? "  (after the stack check)" : "  (no stack check)");
          for (FunctionInfo.Exit e : s.exits()) {
            out.printf("%s%-9s %s  %s%n", INDENT, e.kind(), hex(e.addr()), e.source().orElse("?"));
          }
          if (s.status().equals("NO_EXIT")) {
            out.println(INDENT + "no exit: " + s.reason());
          }
        }
      }
      inlined(f);
    }

    private void inlined(FunctionInfo f) {
      for (String where : f.inlinedInto()) {
        out.printf("%s%-9s %s%n", INDENT, "inlined", "into " + where);
      }
    }

    @Override
    public void end(int count) {
      out.printf("%d function%s%n", count, count == 1 ? "" : "s");
    }

    @Override
    public void flush() {
      out.flush();
    }

    private static String source(String file, int line) {
      return file.isEmpty() ? "?" : file + ":" + line;
    }

    private static String hex(long v) {
      return String.format("0x%08x", v);
    }
  }

  /**
   * One JSON object per function per line. Addresses are integers (virtual addresses). Lines are
   * written in batches, so a caller must {@link #end} the listing.
   */
  record Ndjson(PrintWriter out, JsonGenerator g) implements ListRenderer {
    @Override
    public void function(FunctionInfo f) {
      try {
        g.writeStartObject();
        g.writeStringField("name", f.name());
        if (!f.hasCode()) {
          g.writeBooleanField("inlinedOnly", true);
          g.writeNumberField("inlined", f.inlinedCopies());
          g.writeArrayFieldStart("inlinedInto");
          for (String where : f.inlinedInto()) {
            g.writeString(where);
          }
          g.writeEndArray();
          g.writeEndObject();
          g.writeRaw('\n');
          return;
        }
        g.writeNumberField("entry", f.entry());
        g.writeNumberField("end", f.end());
        g.writeNumberField("fileOffset", f.fileOffset());
        g.writeStringField("file", f.file());
        g.writeNumberField("line", f.line());
        g.writeNumberField("inlined", f.inlinedCopies());
        if (f.inlinedCopies() > 0) {
          g.writeArrayFieldStart("inlinedInto");
          for (String where : f.inlinedInto()) {
            g.writeString(where);
          }
          g.writeEndArray();
        }
        if (f.sites().isPresent()) {
          FunctionInfo.Sites s = f.sites().get();
          g.writeStringField("status", s.status().toLowerCase(java.util.Locale.ROOT));
          if (!s.reason().isEmpty()) {
            g.writeStringField("reason", s.reason());
          }
          if (s.probeEntry() >= 0) {
            g.writeNumberField("probeEntry", s.probeEntry());
          } else {
            g.writeNullField("probeEntry");
          }
          g.writeBooleanField("stackCheck", s.stackCheck());
          g.writeArrayFieldStart("exits");
          for (FunctionInfo.Exit e : s.exits()) {
            g.writeStartObject();
            g.writeNumberField("addr", e.addr());
            g.writeStringField("kind", e.kind());
            if (e.source().isPresent()) {
              g.writeStringField("source", e.source().get());
            }
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        g.writeEndObject();
        g.writeRaw('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void end(int count) {
      flush();
    }

    /** Lines reach {@code out} as the generator's buffer fills (a listing is not a live stream). */
    @Override
    public void flush() {
      try {
        g.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.flush();
    }
  }
}
