package dev.gotrace.core.decode;

import dev.gotrace.core.codegen.LaunchProgramTest;
import dev.gotrace.core.codegen.LaunchRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.pclntab.SourcePos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Joining entry and exit records by thread, symbolizing through a fixed symbol table. */
class LaunchDecoderTest {
  static final long CLOSURE = 0x64dc40;
  static final long GO_STMT_RET = 0x64dbd5;

  static final CallDecoder.Symbolizer SYMBOLS = new CallDecoder.Symbolizer() {
    @Override
    public Optional<String> function(long pc) {
      if (pc >= CLOSURE && pc < CLOSURE + 0xc0) {
        return Optional.of("main.checkSite.func1");
      }
      if (pc >= 0x64dba0 && pc < CLOSURE) {
        return Optional.of("main.checkSite");
      }
      return Optional.empty();
    }

    @Override
    public Optional<SourcePos> position(long pc) {
      // The line of the go statement, at the call before the return address.
      return pc == GO_STMT_RET - 1 ? Optional.of(new SourcePos("gotrace.dev/testdata/server/main.go", 58))
          : Optional.of(new SourcePos("gotrace.dev/testdata/server/main.go", 59));
    }
  };

  static ByteBuffer record(long ktime, int pid, int tid, int cookie, long ip, long fnpc, long goid,
      long callerpc, long gptr) {
    ByteBuffer b = ByteBuffer.allocate(LaunchRecord.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(LaunchRecord.KTIME, ktime).putLong(LaunchRecord.PID_TGID, (long) pid << 32 | tid)
        .putLong(LaunchRecord.COOKIE, cookie).putLong(LaunchRecord.IP, ip).putLong(LaunchRecord.FNPC, fnpc)
        .putLong(LaunchRecord.GOID, goid).putLong(LaunchRecord.CALLERPC, callerpc)
        .putLong(LaunchRecord.GPTR, gptr);
    return b;
  }

  static final long ENTRY = 0x43000a;
  static final long EXIT = 0x4301f0;

  static LaunchDecoder decoder() {
    return new LaunchDecoder(LaunchProgramTest.plan(24, 160), SYMBOLS,
        pc -> pc == CLOSURE ? Optional.of("main.worker") : Optional.empty(), 1_000_000_000L);
  }

  @Test
  void entryAndExitOfOneThreadMakeOneLaunch() {
    LaunchDecoder d = decoder();
    assertTrue(d.decode(record(100, 7, 9, 0, ENTRY, CLOSURE, 17, GO_STMT_RET, 0xc000001)).isEmpty());
    Event.Launch l = d.decode(record(350, 7, 9, 1, EXIT, 0, 23, 0, 0xc000002)).orElseThrow();
    assertEquals(1_000_000_100L, l.wallNs());
    assertEquals(7, l.pid());
    assertEquals(9, l.tid());
    assertEquals(17, l.creatorGoid());
    assertEquals(23, l.newGoid());
    assertEquals("main.checkSite.func1", l.function());
    assertEquals("main.worker", l.target());
    assertEquals("main.worker", l.runs());
    assertEquals("main.checkSite", l.site().function());
    assertEquals(58, l.site().line());
    assertEquals(250, l.durationNs());
    assertEquals(0, d.unmatched());
  }

  @Test
  void threadsInterleaveAndPieAddressesAreRebased() {
    LaunchDecoder d = decoder();
    long bias = 0x55d000000000L;
    d.decode(record(1, 7, 9, 0, ENTRY + bias, CLOSURE + bias, 5, GO_STMT_RET + bias, 1));
    d.decode(record(2, 7, 10, 0, ENTRY + bias, CLOSURE + bias, 6, GO_STMT_RET + bias, 2));
    Event.Launch second = d.decode(record(3, 7, 10, 1, EXIT + bias, 0, 31, 0, 3)).orElseThrow();
    Event.Launch first = d.decode(record(4, 7, 9, 1, EXIT + bias, 0, 30, 0, 4)).orElseThrow();
    assertEquals(6, second.creatorGoid());
    assertEquals(31, second.newGoid());
    assertEquals(5, first.creatorGoid());
    assertEquals(30, first.newGoid());
    assertEquals("main.checkSite.func1", first.function());
    assertEquals(GO_STMT_RET + bias, first.site().returnAddress());
    assertEquals(58, first.site().line());
  }

  @Test
  void halvesWithoutPartnerAreCounted() {
    LaunchDecoder d = decoder();
    assertTrue(d.decode(record(1, 7, 9, 1, EXIT, 0, 30, 0, 4)).isEmpty());
    d.decode(record(2, 7, 9, 0, ENTRY, CLOSURE, 5, GO_STMT_RET, 1));
    d.decode(record(3, 7, 9, 0, ENTRY, CLOSURE, 5, GO_STMT_RET, 1));
    assertEquals(2, d.unmatched());
    assertEquals(31, d.decode(record(4, 7, 9, 1, EXIT, 0, 31, 0, 4)).orElseThrow().newGoid());
  }

  @Test
  void unknownPcsAreQuestionMarks() {
    LaunchDecoder d = decoder();
    d.decode(record(1, 7, 9, 0, ENTRY, 0, 0, 0, 0));
    Event.Launch l = d.decode(record(2, 7, 9, 1, EXIT, 0, 0, 0, 0)).orElseThrow();
    assertEquals("?", l.function());
    assertEquals("", l.target());
    assertEquals("?", l.site().function());
  }

  @Test
  void shortRecordsAndUnknownCookiesAreRejected() {
    LaunchDecoder d = decoder();
    assertThrows(IllegalArgumentException.class, () -> d.decode(ByteBuffer.allocate(8)));
    assertThrows(IllegalArgumentException.class, () -> d.decode(record(1, 7, 9, 5, ENTRY, 0, 0, 0, 0)));
  }
}
