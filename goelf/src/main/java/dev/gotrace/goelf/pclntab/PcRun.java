package dev.gotrace.goelf.pclntab;

import java.util.List;

/** One run of a pc-value table: the value holds for every pc in {@code [start, end)}. */
public record PcRun(long start, long end, int value) {

  /** The value of the run of {@code runs} (sorted, not overlapping) holding {@code pc}, -1 when none does. */
  public static int valueAt(List<PcRun> runs, long pc) {
    int lo = 0;
    int hi = runs.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      PcRun r = runs.get(mid);
      if (Long.compareUnsigned(pc, r.start()) < 0) {
        hi = mid - 1;
      } else if (Long.compareUnsigned(pc, r.end()) >= 0) {
        lo = mid + 1;
      } else {
        return r.value();
      }
    }
    return -1;
  }
}
