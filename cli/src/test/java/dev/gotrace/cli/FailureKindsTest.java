package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.failure.Failure;
import dev.gotrace.core.failure.FailureException;
import org.junit.jupiter.api.Test;

/** Every kind of failure core (and the Java API) reports has its exit code, and the CLI prints core's words. */
class FailureKindsTest {
  @Test
  void everyKindHasTheExitCodeOfItsName() {
    for (Failure.Kind k : Failure.Kind.values()) {
      assertEquals(k.name(), ExitCode.of(k).name());
    }
  }

  @Test
  void theCliSaysWhatCoreSays() {
    UserException u = Errors.toUserException(new FailureException(Failure.Kind.NO_TARGET, "no process with pid 7",
        "see the running processes with ps"));
    assertEquals(ExitCode.NO_TARGET, u.exitCode());
    assertEquals("no process with pid 7", u.getMessage());
    assertEquals("see the running processes with ps", u.hint());
  }
}
