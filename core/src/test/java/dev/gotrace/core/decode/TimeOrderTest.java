package dev.gotrace.core.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeOrderTest {
  private static Event call(long t, String f) {
    return new Event.Call(t, 1, 1, 1, f, null);
  }

  @Test
  void twoRingsReadOneAfterTheOtherComeOutOldestFirstUpToTheWatermark() {
    TimeOrder order = new TimeOrder();
    // ring A read first (launches at 10, 30, 50), then ring B (ends at 20, 40)
    for (long t : new long[] {10, 30, 50}) {
      order.add(call(t, "a" + t));
    }
    order.add(call(20, "b20"));
    order.add(call(40, "b40"));
    List<String> got = new ArrayList<>();
    order.release(40, e -> got.add(((Event.Call) e).function()));
    assertEquals(List.of("a10", "b20", "a30", "b40"), got);
    assertEquals(1, order.size(), "50 waits for the next read");
    order.add(call(45, "b45")); // read later, older than what waits
    order.flush(e -> got.add(((Event.Call) e).function()));
    assertEquals(List.of("a10", "b20", "a30", "b40", "b45", "a50"), got);
  }

  @Test
  void equalTimesKeepTheirArrivalOrder() {
    TimeOrder order = new TimeOrder();
    order.add(call(5, "first"));
    order.add(call(5, "second"));
    order.add(call(1, "older"));
    List<String> got = new ArrayList<>();
    order.flush(e -> got.add(((Event.Call) e).function()));
    assertEquals(List.of("older", "first", "second"), got);
  }
}
