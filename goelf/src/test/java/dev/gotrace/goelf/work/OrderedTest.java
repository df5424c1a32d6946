package dev.gotrace.goelf.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OrderedTest {
  private static final int N = 10 * Ordered.CHUNK + 17;

  @Test
  void resultsArriveInInputOrderWhateverFinishesFirst() throws IOException {
    List<Integer> items = IntStream.range(0, N).boxed().toList();
    List<Integer> seen = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    // Early items take longest, so later chunks finish first on a multi-core machine.
    Ordered.map(items, i -> {
      if (i < Ordered.CHUNK && i % 16 == 0) {
        sleep(1);
      }
      return i * 2;
    }, r -> {
      seen.add(r);
      threads.add(Thread.currentThread().getName());
    }, IOException.class);
    assertEquals(IntStream.range(0, N).map(i -> i * 2).boxed().toList(), seen);
    String caller = Thread.currentThread().getName();
    assertEquals(List.of(caller), threads.stream().distinct().toList(), "results are delivered on the caller's thread");
  }

  @Test
  void theFirstFailureInInputOrderIsThrownAfterEveryEarlierResult() {
    List<Integer> items = IntStream.range(0, N).boxed().toList();
    int firstBad = 3 * Ordered.CHUNK + 5;
    List<Integer> seen = new ArrayList<>();
    IOException e = assertThrows(IOException.class, () -> Ordered.map(items, i -> {
      if (i == firstBad || i == N - 1) {
        throw new IOException("bad " + i);
      }
      return i;
    }, seen::add, IOException.class));
    assertEquals("bad " + firstBad, e.getMessage());
    assertEquals(IntStream.range(0, firstBad).boxed().toList(), seen);
  }

  @Test
  void uncheckedFailuresPassThroughUnchanged() {
    List<Integer> items = IntStream.range(0, N).boxed().toList();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Ordered.map(items, i -> {
      if (i == N / 2) {
        throw new IllegalStateException("half");
      }
      return i;
    }, r -> { }, IOException.class));
    assertEquals("half", e.getMessage());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
