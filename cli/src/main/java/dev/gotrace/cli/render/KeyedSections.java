package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.agg.KeyedLatency;
import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.query.KeyValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code --by} part of a latency table: each function's keys, in the order of
 * {@code --sort}, labelled with the expressions as the user typed them ({@code year=2021},
 * {@code r.URL.Path="/"}), the calls past the key cap as {@code (other)}.
 *
 * @param texts the {@code --by} expressions as typed, one per key part
 * @param order the order of a function's keys
 * @param keys each function's keys, by its identity ({@link KeyedLatency#entry})
 * @param maxKeys the cap on distinct keys, for the {@code (other)} line
 */
public record KeyedSections(List<String> texts, KeyOrder order, Map<Long, List<KeyedLatency>> keys, int maxKeys) {
  /** No --by: nothing to add. */
  public static final KeyedSections NONE = new KeyedSections(List.of(), KeyOrder.COUNT, Map.of(), 0);

  public KeyedSections {
    texts = List.copyOf(texts);
    keys = Map.copyOf(keys);
  }

  /** Whether the table is grouped by key. */
  public boolean present() {
    return !texts.isEmpty();
  }

  /** The keys of the function whose entry is {@code entry}, in the order of --sort ({@code (other)} last). */
  public List<KeyedLatency> of(long entry) {
    List<KeyedLatency> rows = new ArrayList<>(keys.getOrDefault(entry, List.of()));
    rows.sort(order.comparator());
    return rows;
  }

  /** {@code year=2021  name="Go"}, or {@code (other)} for the calls past the key cap. */
  public String label(KeyedLatency k) {
    if (k.other()) {
      return "(other)";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < k.key().size(); i++) {
      if (i > 0) {
        b.append("  ");
      }
      b.append(i < texts.size() ? texts.get(i) : "key" + i).append('=').append(k.key().get(i).text());
    }
    return b.toString();
  }

  /** What the (other) row holds, for the line under it. */
  public String otherNote() {
    return "  calls whose key found the table full (--max-keys " + maxKeys + "): counted here, not per key";
  }

  /** Writes {@code "by": [...]} of one function: each key typed, its totals and buckets. */
  void json(JsonGenerator g, long entry) throws IOException {
    g.writeArrayFieldStart("by");
    for (KeyedLatency k : of(entry)) {
      g.writeStartObject();
      if (k.other()) {
        g.writeBooleanField("other", true);
      } else {
        g.writeObjectFieldStart("key");
        for (int i = 0; i < k.key().size(); i++) {
          g.writeFieldName(i < texts.size() ? texts.get(i) : "key" + i);
          value(g, k.key().get(i));
        }
        g.writeEndObject();
        if (k.cut()) {
          g.writeObjectFieldStart("cut");
          for (int i = 0; i < k.key().size(); i++) {
            if (k.key().get(i) instanceof KeyValue.StringKey s && s.cut()) {
              g.writeNumberField(i < texts.size() ? texts.get(i) : "key" + i, s.fullLength());
            }
          }
          g.writeEndObject();
        }
      }
      Log2Histogram h = k.histogram();
      HistogramRenderer.stats(g, h);
      HistogramRenderer.buckets(g, h);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** A key part as typed JSON: a number, a string, a bool, or null when it could not be read. */
  static void value(JsonGenerator g, KeyValue v) throws IOException {
    if (v instanceof KeyValue.IntKey i) {
      g.writeNumber(i.value());
    } else if (v instanceof KeyValue.UintKey u) {
      g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(u.value())));
    } else if (v instanceof KeyValue.BoolKey b) {
      g.writeBoolean(b.value());
    } else if (v instanceof KeyValue.FloatKey f) {
      if (Double.isFinite(f.value())) {
        g.writeNumber(f.value());
      } else {
        g.writeString(Double.toString(f.value()));
      }
    } else if (v instanceof KeyValue.StringKey s) {
      g.writeString(s.utf8());
    } else {
      g.writeNull();
    }
  }
}
