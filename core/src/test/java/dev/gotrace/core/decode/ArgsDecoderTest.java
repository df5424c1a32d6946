package dev.gotrace.core.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gotrace.core.codegen.ArgsRecord;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.RecordLayout;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.TestBinaries;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoding hand-built args records: values, truncation, unreadable memory, matching, PIE bias. */
class ArgsDecoderTest {
  static ArgsPlan plan(String series, String program, int strsize, String... fns) throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.get(series, "amd64", "default", program).path())) {
      return new ArgsPlanner(new Planner(Arch.AMD64, Planner.DEFAULT_MAX_SITES), strsize)
          .plan(b, List.of(fns).stream().map(NamePattern::parse).toList());
    }
  }

  /** A record for {@code site} with the header filled; the caller fills the values. */
  static ByteBuffer record(ArgsPlan p, ArgsPlan.ArgsSite site, long ktime, long sp, long bias) {
    RecordLayout l = p.block(site.cookie()).layout();
    ByteBuffer b = ByteBuffer.allocate(l.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(ArgsRecord.KTIME, ktime);
    b.putLong(ArgsRecord.PID_TGID, 42L << 32 | 43);
    b.putLong(ArgsRecord.COOKIE, site.cookie());
    b.putLong(ArgsRecord.G, 0xc000001000L);
    b.putLong(ArgsRecord.GOID, 7);
    b.putLong(ArgsRecord.SP, sp);
    b.putLong(ArgsRecord.STACK_HI, 0xc000100000L);
    b.putLong(ArgsRecord.IP, site.address() + bias);
    return b;
  }

  static void putString(ByteBuffer b, RecordLayout l, int at, String s, long status) {
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    b.putLong(at, 0xc000200000L);
    b.putLong(at + 8, raw.length);
    RecordLayout.Buffer buf = l.bufferAt(at).orElseThrow();
    b.putLong(buf.offset(), status);
    b.put(buf.dataOffset(), raw, 0, Math.min(raw.length, buf.maxElems()));
  }

  @Test
  void prepareAnswerCallAndReturnMatchedWithLatency() throws Exception {
    ArgsPlan p = plan("go1.24", "server", 16, "main.prepareAnswer");
    ArgsDecoder d = new ArgsDecoder(p, TypeNames.none(), 1_000);
    ArgsPlan.ArgsSite entry = p.sites().get(0);
    RecordLayout el = p.block(entry.cookie()).layout();
    ByteBuffer in = record(p, entry, 5_000, 0xc0000ff000L, 0x7f0000000000L);
    putString(in, el, el.values().get(0).offset(), "GopherConRussia2020", 0);
    in.putLong(el.values().get(1).offset(), 2021);
    in.putLong(el.values().get(2).offset(), 200);
    Event.Entry c = (Event.Entry) d.decode(in);
    assertEquals(new Event.Entry(6_000, 42, 43, 7, "main.prepareAnswer", List.of(
        new Event.Arg("name", "string", "\"GopherConRussia2\"... (len 19)"),
        new Event.Arg("year", "int", "2021"), new Event.Arg("status", "int", "200"))), c);

    ArgsPlan.ArgsSite ret = p.sites().stream().filter(s -> p.block(s.cookie()).kind() == ArgsPlan.Kind.RETURN)
        .findFirst().orElseThrow();
    RecordLayout rl = p.block(ret.cookie()).layout();
    ByteBuffer out = record(p, ret, 48_000, 0xc0000ff000L, 0x7f0000000000L);
    putString(out, rl, rl.values().get(0).offset(), "Hello", 0);
    Event.Return r = (Event.Return) d.decode(out);
    assertEquals(List.of(new Event.Arg("~r0", "string", "\"Hello\"")), r.results());
    assertEquals(43_000, r.latencyNs());
    // A second return at the same depth has no entry left.
    assertEquals(-1, ((Event.Return) d.decode(out)).latencyNs());
  }

  @Test
  void unreadableStringSaysSoAndQuotesAreEscaped() throws Exception {
    ArgsPlan p = plan("go1.24", "workload", 64, "main.withString");
    ArgsDecoder d = new ArgsDecoder(p, TypeNames.none(), 0);
    ArgsPlan.ArgsSite entry = p.sites().get(0);
    RecordLayout l = p.block(entry.cookie()).layout();
    ByteBuffer b = record(p, entry, 1, 0xc0000ff000L, 0);
    putString(b, l, l.values().get(0).offset(), "x", -14);
    assertEquals("(unreadable string at 0xc000200000, len 1)", ((Event.Entry) d.decode(b)).args().get(0).value());
    putString(b, l, l.values().get(0).offset(), "say \"hi\"\n\t\u0001", 0);
    assertEquals("\"say \\\"hi\\\"\\n\\t\\x01\"", ((Event.Entry) d.decode(b)).args().get(0).value());
  }

  @Test
  void floatsInRegistersAreUnavailableAndSlicesShowLenAndCap() throws Exception {
    ArgsPlan p = plan("go1.24", "workload", 64, "main.withFloat", "main.withInts");
    ArgsDecoder d = new ArgsDecoder(p, TypeNames.none(), 0);
    for (ArgsPlan.ArgsSite s : p.sites()) {
      ArgsPlan.Block blk = p.block(s.cookie());
      if (blk.kind() != ArgsPlan.Kind.ENTRY) {
        continue;
      }
      ByteBuffer b = record(p, s, 1, 0xc0000ff000L, 0);
      String fn = p.functions().get(blk.function()).function();
      if (fn.equals("main.withFloat")) {
        assertEquals("(unavailable: float register)", ((Event.Entry) d.decode(b)).args().get(0).value());
      } else {
        int at = blk.layout().values().get(0).offset();
        b.putLong(at, 0xc000300000L).putLong(at + 8, 20).putLong(at + 16, 32);
        RecordLayout.Buffer buf = blk.layout().bufferAt(at).orElseThrow();
        for (int i = 0; i < buf.maxElems(); i++) {
          b.putLong(buf.dataOffset() + 8 * i, i - 1);
        }
        assertEquals("[]int{-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, ...} (len=20 cap=32)",
            ((Event.Entry) d.decode(b)).args().get(0).value());
      }
    }
  }

  @Test
  void shortRecordsAndUnknownCookiesAreRejected() throws Exception {
    ArgsPlan p = plan("go1.24", "server", 64, "main.prepareAnswer");
    ArgsDecoder d = new ArgsDecoder(p, TypeNames.none(), 0);
    assertThrows(IllegalArgumentException.class, () -> d.decode(ByteBuffer.allocate(8)));
    ByteBuffer b = record(p, p.sites().get(0), 1, 1, 0);
    assertThrows(IllegalArgumentException.class, () -> d.decode(b.slice(0, 70)));
    b.putLong(ArgsRecord.COOKIE, 99L << 32);
    assertThrows(IllegalArgumentException.class, () -> d.decode(b));
  }
}
