package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When top's next table is due: on the --interval grid, whatever a snapshot took. */
class TopRefreshTest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void aSlowSnapshotDoesNotShiftTheNextRefresh() {
    // due at 1 s, drawn at 1.3 s (a 0.3 s snapshot): the next is due at 2 s, not 2.3 s
    assertEquals(2_000_000_000L, TopCommand.nextRefresh(1_000_000_000L, 1_300_000_000L, SECOND));
  }

  @Test
  void afterAStallItStartsAgainFromNow() {
    assertEquals(6_500_000_000L, TopCommand.nextRefresh(1_000_000_000L, 5_500_000_000L, SECOND));
  }
}
