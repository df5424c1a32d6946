package dev.gotrace.goelf.arch;

import java.util.Optional;

/**
 * The machine architectures gotrace reads, as values: word size, ELF machine number, Go's name,
 * and the ABI facts that depend on the architecture alone. Facts that also depend on the Go
 * version (which ABI a function uses) live with the Go version, not here.
 */
public enum Arch {
  /** x86-64; register ABI from Go 1.17 (g in R14). */
  AMD64("amd64", 62, 8, 17),
  /** 32-bit x86; always the stack ABI. */
  I386("386", 3, 4, Integer.MAX_VALUE),
  /** AArch64; register ABI from Go 1.18 (g in R28). */
  ARM64("arm64", 183, 8, 18);

  private final String goArch;
  private final int elfMachine;
  private final int ptrSize;
  private final int registerAbiSinceMinor;

  Arch(String goArch, int elfMachine, int ptrSize, int registerAbiSinceMinor) {
    this.goArch = goArch;
    this.elfMachine = elfMachine;
    this.ptrSize = ptrSize;
    this.registerAbiSinceMinor = registerAbiSinceMinor;
  }

  /** GOARCH spelling: amd64, 386, arm64. */
  public String goArch() {
    return goArch;
  }

  /** ELF e_machine value (EM_X86_64 = 62, EM_386 = 3, EM_AARCH64 = 183). */
  public int elfMachine() {
    return elfMachine;
  }

  /** Pointer size in bytes. */
  public int ptrSize() {
    return ptrSize;
  }

  /**
   * The pc quantum: the unit of pc deltas in pclntab tables, the minimum instruction size (1 on
   * x86, 4 on arm64; cmd/internal/sys/arch.go MinLC).
   */
  public int pcQuantum() {
    return this == ARM64 ? 4 : 1;
  }

  /** Whether Go 1.{@code minor} uses the register-based internal ABI on this architecture. */
  public boolean registerAbi(int goMinor) {
    return goMinor >= registerAbiSinceMinor;
  }

  public static Optional<Arch> fromElfMachine(int machine) {
    for (Arch a : values()) {
      if (a.elfMachine == machine) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public static Optional<Arch> fromGoArch(String name) {
    for (Arch a : values()) {
      if (a.goArch.equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
