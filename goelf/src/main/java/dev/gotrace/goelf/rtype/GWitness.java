package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.code.Instruction;
import dev.gotrace.goelf.version.GoVersion;
import java.util.List;
import java.util.Optional;

/**
 * Where the runtime's assembly of one architecture touches g's fields at fixed offsets: the
 * instruction shapes of {@code rt0_go} (g0's stack) and {@code mcall} (g.sched, g.m). An empty
 * answer means the shape was not found, not that it disagrees.
 */
interface GWitness {
  /** {lo, hi}: the offsets at which rt0_go stores g0's stack.lo and stack.hi. */
  Optional<long[]> g0Stack(List<Instruction> rt0go);

  /** {pc, sp, m}: where mcall saves the caller's pc and sp in g.sched, and where it loads g.m. */
  Optional<long[]> mcall(List<Instruction> mcall);

  /** The witness for {@code arch}; empty where gotrace knows no shapes (386). */
  static Optional<GWitness> of(Arch arch, GoVersion version) {
    return switch (arch) {
      case AMD64 -> Optional.of(new Amd64Witness(version.atLeast(1, 17)));
      case ARM64 -> Optional.of(new Arm64Witness());
      default -> Optional.empty();
    };
  }
}
