package dev.gotrace.core.spec;

import dev.gotrace.core.agg.ValueHistogram;
import dev.gotrace.core.codegen.HistProgram;
import dev.gotrace.core.plan.HistPlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.core.trace.Session;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapContents;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.maps.MappedArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code --hist} of funcs and args: one entry program ({@link HistProgram}) that counts in maps,
 * nothing streamed; {@link #read} turns the maps into {@link ValueHistogram}s.
 */
public final class HistSpec {
  private HistSpec() {}

  public static TraceSpec of(HistPlan plan) {
    int n = plan.base().sites().size();
    List<MapSpec> maps = List.of(
        MapSpec.hash(HistProgram.HIST, plan.keySize(), HistProgram.VALUE_SIZE, plan.maxKeys()),
        MapSpec.mmapableArray(HistProgram.OTHER, HistProgram.VALUE_SIZE, Math.max(1, n)),
        MapSpec.array(HistProgram.ZERO, HistProgram.VALUE_SIZE, 1));
    TraceSpec.Probes p = new TraceSpec.Probes("gotrace_hist", HistProgram.generate(plan),
        List.of(HistProgram.HIST, HistProgram.OTHER, HistProgram.ZERO), plan.probes());
    return new TraceSpec(plan.base().binary(), maps, List.of(p), Optional.empty(), () -> b -> Optional.empty(), false);
  }

  /** The histograms so far: per (function, key) in map order, then each function's (other). */
  public static List<ValueHistogram> read(Session session, HistPlan plan) {
    List<ValueHistogram> out = new ArrayList<>();
    Optional<BpfMap> hist = session.map(HistProgram.HIST);
    if (hist.isEmpty()) {
      return out;
    }
    MapContents keys = hist.get().contents();
    for (int i = 0; i < keys.size(); i++) {
      byte[] key = keys.key(i);
      int site = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
      if (site < 0 || site >= plan.base().sites().size()) {
        continue;
      }
      long[] slots = new long[HistProgram.SLOTS];
      for (int s = 0; s < slots.length; s++) {
        slots[s] = keys.valueU64(i, 0, s * 8);
      }
      ProbeSite f = plan.base().sites().get(site);
      out.add(ValueHistogram.of(label(f), plan.of(site).query().keys().decode(key), false, plan.of(site).kind(),
          slots, HistProgram.FIRST_BUCKET));
    }
    out.sort(ValueHistogram.ORDER);
    MappedArray other = session.map(HistProgram.OTHER).orElseThrow().mapped();
    for (ProbeSite f : plan.base().sites()) {
      int site = f.cookie();
      long[] slots = new long[HistProgram.SLOTS];
      long any = 0;
      for (int s = 0; s < slots.length; s++) {
        slots[s] = other.u64(site, s * 8);
        any |= s < HistProgram.FIRST_BUCKET ? slots[s] : 0;
      }
      if (any != 0) {
        out.add(ValueHistogram.of(label(f), List.of(), true, plan.of(site).kind(), slots, HistProgram.FIRST_BUCKET));
      }
    }
    return out;
  }

  /** A row's name: the function, or at a line "main.go:98 main.loop" (with "[k/n]" for a copy). */
  private static String label(ProbeSite f) {
    return f.site().isEmpty() ? f.function() : f.site() + " " + f.function();
  }
}
