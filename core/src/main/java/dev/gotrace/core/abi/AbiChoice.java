package dev.gotrace.core.abi;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;

/** Which ABI the Go functions of a binary use. */
public final class AbiChoice {
  private AbiChoice() {}

  /**
   * The register ABI for amd64 binaries of Go 1.17+ (ABIInternal), the stack ABI otherwise (an
   * unknown minor version is taken as the stack ABI only when the architecture never had it).
   */
  public static GoAbi of(GoBinary bin) {
    boolean regs = bin.arch() == Arch.AMD64
        && (!bin.goVersion().minorKnown() || bin.arch().registerAbi(bin.goVersion().minor()));
    return regs ? GoAbi.register(bin.arch()) : GoAbi.stack(bin.arch());
  }
}
