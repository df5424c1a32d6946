package dev.gotrace.probes.priv;

/** The capabilities tracing needs, with their bit numbers in linux/capability.h. */
public enum Capability {
  CAP_SYS_ADMIN(21), CAP_PERFMON(38), CAP_BPF(39);

  private final int bit;

  Capability(int bit) {
    this.bit = bit;
  }

  public int bit() {
    return bit;
  }
}
