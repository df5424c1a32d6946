package dev.gotrace.core.agg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.decode.Event;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamedLatenciesTest {
  private static Event.Completed call(String name, long entry, long ns) {
    return new Event.Completed(1, 100, 7, name, entry, ns, entry + 0x40);
  }

  @Test
  void twoFunctionsOfOneNameStayApartAndEachIsSorted() {
    StreamedLatencies s = new StreamedLatencies();
    for (int i = 200; i > 0; i--) {
      s.add(call("main.f", 0x401000, i));
    }
    s.add(call("main.f", 0x402000, 5));
    s.add(call("main.f", 0x402000, 3));
    Map<Long, long[]> m = s.sorted();
    assertEquals(2, m.size());
    assertEquals(200, m.get(0x401000L).length);
    assertEquals(1, m.get(0x401000L)[0]);
    assertEquals(200, m.get(0x401000L)[199]);
    assertArrayEquals(new long[] {3, 5}, m.get(0x402000L));
  }
}
