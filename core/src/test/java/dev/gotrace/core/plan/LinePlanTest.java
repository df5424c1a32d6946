package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.codegen.ArgsRecord;
import dev.gotrace.core.decode.ArgsDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.TypeNames;
import dev.gotrace.core.query.Scope;
import dev.gotrace.core.query.Scopes;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Plans of line probes on the look program (no root): args' LINE blocks with the parameters and
 * locals live at the line, a record of such a block decoded into an entry carrying its site, the
 * scope {@code --where} sees there, and funcs' line sites with their copies.
 */
class LinePlanTest {
  static final List<String> SERIES = List.of("go1.15", "go1.24", "go1.27");

  static TestBinary look(String series) {
    return TestBinaries.get(series, "amd64", "default", "look");
  }

  static int line(TestBinary b, String marker) throws IOException {
    List<String> src = Files.readAllLines(TestBinaries.sourcesOf(b).resolve("main.go"));
    for (int i = 0; i < src.size(); i++) {
      if (src.get(i).endsWith("// " + marker)) {
        return i + 1;
      }
    }
    throw new AssertionError(marker);
  }

  static ArgsPlan args(GoBinary bin, String target) throws Exception {
    return new ArgsPlanner(new Planner(Planner.DEFAULT_MAX_SITES), ArgsPlanner.DEFAULT_STRSIZE)
        .plan(bin, List.of(NamePattern.parse(target)));
  }

  @Test
  void theLoopBodyIsOneLineBlockWithTheLoopsParameterAndLocals() throws Exception {
    for (String series : SERIES) {
      TestBinary b = look(series);
      String site = "main.go:" + line(b, "LOOP-BODY");
      try (GoBinary bin = GoBinary.open(b.path())) {
        ArgsPlan p = args(bin, site);
        assertEquals(1, p.sites().size(), series);
        ArgsPlan.Block blk = p.block(p.sites().get(0).cookie());
        assertEquals(ArgsPlan.Kind.LINE, blk.kind());
        ArgsPlan.FunctionArgs f = p.functions().get(blk.function());
        assertEquals("main.loop", f.function());
        assertEquals(site, f.site());
        assertEquals("", f.inlinedInto());
        assertTrue(f.typed());
        assertEquals(Set.of("n", "i", "acc"), f.inputs().stream().map(ParamLayout::name).collect(Collectors.toSet()),
            series + " " + f.inputs());
        for (ParamLayout v : f.inputs()) {
          assertEquals("int", v.type().name(), series + " " + v);
          assertTrue(v.located(), series + " " + v.name() + " at " + v.describe());
        }
        assertEquals(List.of("the probe of " + site + " in main.loop"),
            p.probes().stream().map(AttachCheck.Probe::what).toList());
      }
    }
  }

  @Test
  void aLineRecordDecodesToAnEntryWithItsSiteAndValues() throws Exception {
    TestBinary b = look("go1.27");
    String site = "main.go:" + line(b, "LOOP-BODY");
    try (GoBinary bin = GoBinary.open(b.path())) {
      ArgsPlan p = args(bin, site);
      ArgsPlan.ArgsSite s = p.sites().get(0);
      RecordLayout l = p.block(s.cookie()).layout();
      ByteBuffer rec = ByteBuffer.allocate(l.size()).order(ByteOrder.LITTLE_ENDIAN);
      rec.putLong(ArgsRecord.COOKIE, s.cookie()).putLong(ArgsRecord.PID_TGID, 42L << 32 | 43)
          .putLong(ArgsRecord.GOID, 1).putLong(ArgsRecord.IP, s.address());
      long[] values = {10, 7, 21};
      for (RecordLayout.Value v : l.values()) {
        String n = v.param().name();
        rec.putLong(v.offset(), n.equals("n") ? values[0] : n.equals("i") ? values[1] : values[2]);
      }
      Event e = new ArgsDecoder(p, TypeNames.none(), 0).decode(rec);
      Event.Entry entry = (Event.Entry) e;
      assertEquals(site, entry.site());
      assertEquals("main.loop", entry.function());
      assertEquals(Set.of("n=10", "i=7", "acc=21"),
          entry.args().stream().map(a -> a.name() + "=" + a.value()).collect(Collectors.toSet()));
    }
  }

  @Test
  void theScopeOfALineHoldsWhatIsLiveThere() throws Exception {
    for (String series : SERIES) {
      TestBinary b = look(series);
      try (GoBinary bin = GoBinary.open(b.path())) {
        ProbePlan p = new Planner(Planner.DEFAULT_MAX_SITES).planWithLines(bin,
            List.of(NamePattern.parse("main.go:" + line(b, "CLAMP-LINE")), NamePattern.parse("main.leaf")));
        assertEquals(List.of("", "main.go:" + line(b, "CLAMP-LINE") + " [1/2]", "main.go:" + line(b, "CLAMP-LINE") + " [2/2]"),
            p.sites().stream().map(ProbeSite::site).toList(), series);
        assertEquals(List.of("main.leaf", "main.clamp", "main.clamp"), p.sites().stream().map(ProbeSite::function).toList());
        ProbeSite copyA = p.sites().get(1);
        assertEquals("main.useClampA", copyA.line().orElseThrow().site().host().name());
        Scope s = Scopes.atLine(bin, copyA.line().get().site());
        assertTrue(s.typed(), series);
        assertEquals("main.clamp", s.function());
        assertTrue(s.named("v").isPresent() && s.named("v").get().located(), series + " " + s.inputs());
        List<Scope> all = EntryQuery.scopes(bin, p);
        assertEquals(3, all.size());
        assertTrue(all.get(0).named("v").isEmpty(), "main.leaf has no v");
        assertTrue(all.get(1).named("v").isPresent());
      }
    }
  }
}
