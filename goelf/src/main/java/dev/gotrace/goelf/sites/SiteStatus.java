package dev.gotrace.goelf.sites;

/** Outcome of analysing one function. */
public enum SiteStatus {
  /** Decoded; at least one exit site. */
  OK,
  /** Decoded; control never returns (runtime.goexit, functions ending in a call to panic). */
  NO_EXIT,
  /** Some bytes did not decode exactly; the function gets no probe sites at all. */
  UNDECODABLE
}
