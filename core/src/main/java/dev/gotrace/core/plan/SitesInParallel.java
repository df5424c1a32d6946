package dev.gotrace.core.plan;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.goelf.work.Ordered;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the probe sites of many functions on every core ({@link Ordered}), each kept by
 * {@link GoBinary#tracedSites}; the results are in the order of the functions, and the first
 * function's failure is the one reported, as a decode in order would.
 */
final class SitesInParallel {
  private SitesInParallel() {}

  static List<FunctionSites> decode(GoBinary bin, List<GoFunc> functions) throws GoBinaryException {
    List<FunctionSites> out = new ArrayList<>(functions.size());
    Ordered.map(functions, bin::tracedSites, out::add, GoBinaryException.class);
    return List.copyOf(out);
  }
}
