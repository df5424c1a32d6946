package dev.gotrace.core.profile;

import dev.gotrace.core.stack.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A pprof profile of a {@link StackProfile}: the {@code Profile} message of pprof's
 * {@code proto/profile.proto}, gzip'd, as {@code go tool pprof} reads it. Two sample types,
 * {@code calls/count} and {@code time/nanoseconds} (the calls' summed latency); one
 * {@code Sample} per profile sample, its locations innermost first. A {@code Location} is one
 * machine PC: its {@code Line}s are the frames at that PC, the innermost inlined call first and
 * the function the code is in last, as pprof stores inlining. {@code Function}s carry name and
 * file. One {@code Mapping} names the binary and says functions, files, lines and inlined frames
 * are all present, so pprof symbolises nothing again. A stack that ended early gets an outermost
 * location whose function is the bracketed reason ({@link StackProfile#cutFrame}).
 */
public final class Pprof {
  // Profile fields
  private static final int SAMPLE_TYPE = 1, SAMPLE = 2, MAPPING = 3, LOCATION = 4, FUNCTION = 5, STRING_TABLE = 6,
      TIME_NANOS = 9, DURATION_NANOS = 10, COMMENT = 13, DEFAULT_SAMPLE_TYPE = 14;

  private Pprof() {}

  /**
   * What the profile says about its run.
   *
   * @param binary the traced binary's path (the mapping's file name)
   * @param startEpochNs when tracing started, ns since the epoch (0: not said)
   * @param durationNs how long it traced (0: not said)
   * @param comment a line for the profile's comments ("gotrace latency look main.leaf --stacks")
   * @param defaultType the sample type pprof shows unless told otherwise
   */
  public record Meta(String binary, long startEpochNs, long durationNs, String comment, Weight defaultType) {}

  /** Writes {@code profile} to {@code out}, gzip'd; closes nothing but the gzip stream's own state. */
  public static void write(StackProfile profile, Meta meta, OutputStream out) throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(out);
    gz.write(encode(profile, meta));
    gz.finish();
    gz.flush();
  }

  /** The profile's protobuf bytes, not compressed. */
  static byte[] encode(StackProfile profile, Meta meta) {
    Strings strings = new Strings();
    ProtoWriter p = new ProtoWriter();
    p.message(SAMPLE_TYPE, valueType(strings, "calls", "count"));
    p.message(SAMPLE_TYPE, valueType(strings, "time", "nanoseconds"));
    Map<List<Object>, Long> functions = new LinkedHashMap<>();
    Map<List<Object>, Long> locations = new LinkedHashMap<>();
    Map<Long, ProtoWriter> locationMessages = new HashMap<>();
    List<ProtoWriter> functionMessages = new ArrayList<>();
    long maxPc = 0;
    for (StackProfile.Sample s : profile.samples()) {
      List<Long> ids = new ArrayList<>();
      for (List<Frame> group : machineFrames(s)) {
        long pc = group.get(group.size() - 1).pc();
        maxPc = Math.max(maxPc, pc);
        List<Object> key = new ArrayList<>();
        key.add(pc);
        ProtoWriter loc = new ProtoWriter();
        List<ProtoWriter> lines = new ArrayList<>();
        for (Frame f : group) {
          long fn = functions.computeIfAbsent(List.of(f.function(), f.file()), k -> {
            long id = functionMessages.size() + 1L;
            functionMessages.add(new ProtoWriter().int64(1, id).int64(2, strings.index(f.function()))
                .int64(3, strings.index(f.function())).int64(4, strings.index(f.file())));
            return id;
          });
          key.add(fn);
          key.add(f.line());
          lines.add(new ProtoWriter().int64(1, fn).int64(2, f.line()));
        }
        Long id = locations.get(key);
        if (id == null) {
          id = locations.size() + 1L;
          locations.put(key, id);
          loc.int64(1, id).int64(2, 1).int64(3, pc);
          lines.forEach(l -> loc.message(4, l));
          locationMessages.put(id, loc);
        }
        ids.add(id);
      }
      ProtoWriter sample = new ProtoWriter()
          .packed(1, ids.stream().mapToLong(Long::longValue).toArray())
          .packed(2, new long[] {s.calls(), s.totalNs()});
      p.message(SAMPLE, sample);
    }
    p.message(MAPPING, new ProtoWriter().int64(1, 1).int64(2, 0).int64(3, maxPc + 1)
        .int64(5, strings.index(meta.binary()))
        .bool(7, true).bool(8, true).bool(9, true).bool(10, true));
    for (long id = 1; id <= locations.size(); id++) {
      p.message(LOCATION, locationMessages.get(id));
    }
    functionMessages.forEach(f -> p.message(FUNCTION, f));
    p.int64(TIME_NANOS, meta.startEpochNs());
    p.int64(DURATION_NANOS, meta.durationNs());
    if (!meta.comment().isEmpty()) {
      p.packed(COMMENT, new long[] {strings.index(meta.comment())});
    }
    p.int64(DEFAULT_SAMPLE_TYPE, strings.index(meta.defaultType() == Weight.CALLS ? "calls" : "time"));
    for (String str : strings.table()) {
      p.string(STRING_TABLE, str);
    }
    return p.toByteArray();
  }

  /**
   * A sample's frames in machine frames, innermost first: each the inlined calls at one PC then
   * the function that PC is in (Frame's rule: an inlined frame shares its PC with the frame after
   * it), and the bracketed reason of an early end last.
   */
  static List<List<Frame>> machineFrames(StackProfile.Sample s) {
    List<List<Frame>> out = new ArrayList<>();
    List<Frame> group = new ArrayList<>();
    for (Frame f : s.stack().frames()) {
      group.add(f);
      if (!f.inlined()) {
        out.add(List.copyOf(group));
        group.clear();
      }
    }
    if (!group.isEmpty()) {
      out.add(List.copyOf(group));
    }
    if (out.isEmpty()) {
      out.add(List.of(new Frame(s.function(), "", 0, false, 0)));
    }
    StackProfile.cutFrame(s.stack()).ifPresent(c -> out.add(List.of(new Frame(c, "", 0, false, 0))));
    return out;
  }

  private static ProtoWriter valueType(Strings strings, String type, String unit) {
    return new ProtoWriter().int64(1, strings.index(type)).int64(2, strings.index(unit));
  }

  /** The profile's string table: index 0 is "", as profile.proto requires. */
  private static final class Strings {
    private final Map<String, Integer> index = new LinkedHashMap<>(Map.of("", 0));

    long index(String s) {
      return index.computeIfAbsent(s, k -> index.size());
    }

    List<String> table() {
      return List.copyOf(index.keySet());
    }
  }
}
