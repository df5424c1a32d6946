package dev.gotrace.probes.vm;

/**
 * What a memory access or helper call did wrong, before the interpreter names the instruction
 * (it becomes a {@link VmException} with the instruction's index and listing).
 */
final class Fault extends RuntimeException {
  Fault(String message) {
    super(message, null, false, false);
  }
}
