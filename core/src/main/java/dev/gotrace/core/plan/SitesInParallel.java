package dev.gotrace.core.plan;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.sites.FunctionSites;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Decodes the probe sites of many functions on every core (one task per function, the common
 * fork-join pool plus the caller), each kept by {@link GoBinary#tracedSites}; the results are in
 * the order of the functions, whatever order the decodes finished in.
 */
final class SitesInParallel {
  /** Below this many functions one thread is as fast as handing work out. */
  private static final int MIN_PARALLEL = 16;

  private SitesInParallel() {}

  static List<FunctionSites> decode(GoBinary bin, List<GoFunc> functions) throws GoBinaryException {
    FunctionSites[] out = new FunctionSites[functions.size()];
    GoBinaryException[] failed = new GoBinaryException[functions.size()];
    IntStream ix = IntStream.range(0, functions.size());
    (functions.size() < MIN_PARALLEL ? ix : ix.parallel()).forEach(i -> {
      try {
        out[i] = bin.tracedSites(functions.get(i));
      } catch (GoBinaryException e) {
        failed[i] = e;
      }
    });
    for (GoBinaryException e : failed) {
      if (e != null) {
        throw e; // the first function's failure, as a decode in order would report it
      }
    }
    return List.of(out);
  }
}
