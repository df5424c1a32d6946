package dev.gotrace.core.profile;

import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.stack.Frame;
import dev.gotrace.core.stack.GoStack;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Completed calls aggregated per (traced function, call stack at its entry): what
 * {@code gotrace latency --stacks} counted in the kernel, symbolised.
 *
 * @param samples one per distinct (function, stack); two kernel stacks that symbolise to the same
 *     frames stay two samples (their PCs differ), the writers merge what they show alike
 */
public record StackProfile(List<Sample> samples) {
  public StackProfile {
    samples = List.copyOf(samples);
  }

  /**
   * The calls of one function through one stack.
   *
   * @param function the traced function's Go name
   * @param stack its stack at the entry, innermost first (the function itself first)
   * @param latency the calls' latencies: count, sum (total ns), min, max, log2 buckets
   */
  public record Sample(String function, GoStack stack, Log2Histogram latency) {
    public long calls() {
      return latency.count();
    }

    public long totalNs() {
      return latency.sum();
    }
  }

  /** Most calls first, then most time, then by the frames' text: the order of every output. */
  public static final Comparator<Sample> MOST_CALLS = Comparator.comparingLong(Sample::calls).reversed()
      .thenComparing(Comparator.comparingLong(Sample::totalNs).reversed())
      .thenComparing(s -> String.join(";", names(s)));

  /** The samples by traced function, each function's samples {@link #MOST_CALLS} first; functions by most calls. */
  public Map<String, List<Sample>> byFunction() {
    Map<String, List<Sample>> by = new LinkedHashMap<>();
    for (Sample s : samples) {
      by.computeIfAbsent(s.function(), k -> new ArrayList<>()).add(s);
    }
    List<Map.Entry<String, List<Sample>>> entries = new ArrayList<>(by.entrySet());
    entries.forEach(e -> e.getValue().sort(MOST_CALLS));
    entries.sort(Comparator.comparingLong((Map.Entry<String, List<Sample>> e) -> -calls(e.getValue()))
        .thenComparing(Map.Entry::getKey));
    Map<String, List<Sample>> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(e.getKey(), List.copyOf(e.getValue())));
    return out;
  }

  /** Calls over all samples. */
  public long calls() {
    return calls(samples);
  }

  /** Nanoseconds over all samples. */
  public long totalNs() {
    return samples.stream().mapToLong(Sample::totalNs).sum();
  }

  private static long calls(List<Sample> samples) {
    return samples.stream().mapToLong(Sample::calls).sum();
  }

  /**
   * The names of a sample's frames, outermost first, as folded stacks and flame graphs show
   * them: inlined calls are frames of their own, and a stack that did not reach the goroutine's
   * first function starts with a bracketed frame saying why ({@link #cutFrame}).
   */
  public static List<String> names(Sample s) {
    List<String> out = new ArrayList<>();
    cutFrame(s.stack()).ifPresent(out::add);
    List<Frame> frames = s.stack().frames();
    for (int i = frames.size() - 1; i >= 0; i--) {
      out.add(frames.get(i).function());
    }
    if (frames.isEmpty()) {
      out.add(s.function());
    }
    return out;
  }

  /** "[stack cut: depth limit]" and so on for a stack that ended early; empty for a complete one. */
  public static Optional<String> cutFrame(GoStack stack) {
    String why = switch (stack.end()) {
      case COMPLETE -> null;
      case NOT_TAKEN -> "no stack";
      case DEPTH -> "depth limit";
      case NO_FRAME_POINTER -> "no frame pointer" + at(stack);
      case MORESTACK -> "morestack" + at(stack);
      case SYSTEM_STACK -> "system stack" + at(stack);
      case UNREADABLE -> "unreadable frame" + at(stack);
      case MAP_FULL -> "stack map full";
    };
    return Optional.ofNullable(why == null ? null : "[stack cut: " + why + "]");
  }

  private static String at(GoStack stack) {
    return stack.endDetail().isEmpty() ? "" : " at " + stack.endDetail();
  }
}
