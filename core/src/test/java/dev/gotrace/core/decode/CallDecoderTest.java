package dev.gotrace.core.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.plan.GAccess;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.version.GoVersion;
import dev.gotrace.testdata.TestBinaries;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records captured from real probes (one HTTP request to the server under
 * {@code main.prepareAnswer} and {@code main.checkSite.func1}), decoded against the plan and
 * pclntab they were made with.
 */
class CallDecoderTest {
  /** testdata/bin/server (go1.24.4, non-PIE): the closure, then prepareAnswer. */
  static final String CLOSURE = "97b78a0715030000ce220000cc2200000100000000000000015e47000000000080c31000c000000013000000000000004adc640000000000";
  static final String ANSWER = "5b1a970715030000ce220000cc2200000000000000000000b0da64000000000000c01000c000000011000000000000000add640000000000";
  /** go1.24/amd64/pie/server: prepareAnswer, loaded at a random base. */
  static final String PIE_ANSWER = "ad1b0b4d15030000dc220000dc2200000000000000000000d0bf6d74ce55000080e30900c000000013000000000000002ac26d74ce550000";

  static ProbePlan plan(Path bin, long answerEntry, long closureEntry) {
    return new ProbePlan(bin, Arch.AMD64, GoVersion.of(1, 24, 4), new GAccess.InRegister(Arch.AMD64.gRegister().orElseThrow()), 160, true,
        List.of(new ProbeSite(0, "main.prepareAnswer", answerEntry, answerEntry + 10, 0),
            new ProbeSite(1, "main.checkSite.func1", closureEntry, closureEntry + 10, 0)),
        List.of());
  }

  static ByteBuffer bytes(String hex) {
    return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
  }

  @Test
  void decodesCallsOfTheDemoServer() throws Exception {
    Path bin = TestBinaries.demoServer();
    try (GoBinary b = GoBinary.open(bin)) {
      CallDecoder d = new CallDecoder(plan(bin, 6610176, 6609984), CallDecoder.Symbolizer.of(b), 1_000);
      Event.Call closure = d.decode(bytes(CLOSURE));
      assertEquals("main.checkSite.func1", closure.function());
      assertEquals(0x22cc, closure.pid());
      assertEquals(0x22ce, closure.tid());
      assertEquals(19, closure.goid());
      assertEquals(0x3150_78a_b797L + 1_000, closure.wallNs());
      // A goroutine's first function returns into runtime.goexit.
      assertEquals("runtime.goexit", closure.caller().function());

      Event.Call answer = d.decode(bytes(ANSWER));
      assertEquals("main.prepareAnswer", answer.function());
      assertEquals(17, answer.goid());
      assertEquals("main.handler", answer.caller().function());
      assertTrue(answer.caller().file().endsWith("server/main.go"), answer.caller().file());
      assertEquals(51, answer.caller().line());
      assertEquals(0x64dab0, answer.caller().returnAddress());
    }
  }

  @Test
  void subtractsThePieLoadBiasFromTheProbedAddress() throws Exception {
    Path bin = TestBinaries.get("go1.24", "amd64", "pie", "server").path();
    try (GoBinary b = GoBinary.open(bin)) {
      CallDecoder d = new CallDecoder(plan(bin, 6611488, 6611296), CallDecoder.Symbolizer.of(b), 0);
      Event.Call answer = d.decode(bytes(PIE_ANSWER));
      assertEquals("main.prepareAnswer", answer.function());
      assertEquals("main.handler", answer.caller().function());
      assertEquals(51, answer.caller().line());
      assertEquals(0x55ce746dbfd0L, answer.caller().returnAddress());
    }
  }

  @Test
  void unknownCookieOrShortRecordIsRejected() {
    CallDecoder d = new CallDecoder(plan(Path.of("x"), 0x1000, 0x2000), new CallDecoder.Symbolizer() {
      @Override
      public java.util.Optional<String> function(long pc) {
        return java.util.Optional.empty();
      }

      @Override
      public java.util.Optional<dev.gotrace.goelf.pclntab.SourcePos> position(long pc) {
        return java.util.Optional.empty();
      }
    }, 0);
    assertThrows(IllegalArgumentException.class, () -> d.decode(ByteBuffer.allocate(16)));
    byte[] rec = HexFormat.of().parseHex(ANSWER);
    rec[16] = 7;
    assertThrows(IllegalArgumentException.class, () -> d.decode(ByteBuffer.wrap(rec)));
    Event.Call c = d.decode(bytes(ANSWER));
    assertEquals("?", c.caller().function());
  }
}
