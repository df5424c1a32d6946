package dev.gotrace.core.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.stack.Frame;
import dev.gotrace.core.stack.GoStack;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class FlameGraphTest {
  /** A drawn frame: its tooltip and its rect. */
  record Drawn(String title, double x, double y, double width) {
    String function() {
      return title.substring(0, title.indexOf(title.contains(" (inlined)") ? " (inlined)" : ":"));
    }
  }

  static List<Drawn> parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", doc.getDocumentElement().getTagName());
    NodeList gs = doc.getElementsByTagName("g");
    List<Drawn> out = new ArrayList<>();
    for (int i = 0; i < gs.getLength(); i++) {
      Element g = (Element) gs.item(i);
      Element rect = (Element) g.getElementsByTagName("rect").item(0);
      out.add(new Drawn(g.getElementsByTagName("title").item(0).getTextContent(),
          Double.parseDouble(rect.getAttribute("x")), Double.parseDouble(rect.getAttribute("y")),
          Double.parseDouble(rect.getAttribute("width"))));
    }
    return out;
  }

  private static String svg(StackProfile p, Weight w) throws Exception {
    StringWriter out = new StringWriter();
    FlameGraph.write(p, w, "gotrace latency look main.leaf --stacks", out);
    return out.toString();
  }

  private static Drawn only(List<Drawn> frames, String function) {
    List<Drawn> found = frames.stream().filter(d -> d.function().equals(function)).toList();
    assertEquals(1, found.size(), function + " in " + frames);
    return found.get(0);
  }

  @Test
  void parsesAsXmlWithAFramePerFunctionOfTheChainsAndTheirTooltips() throws Exception {
    List<Drawn> frames = parse(svg(Chains.look(1), Weight.CALLS));
    Set<String> names = new TreeSet<>();
    frames.forEach(d -> names.add(d.function()));
    assertEquals(new TreeSet<>(List.of("all", "runtime.main", "main.main", "main.round",
        "main.chainA", "main.chainB", "main.mid", "main.chainC", "main.wrap", "main.leaf")), names);
    // main.leaf is drawn once per chain; each chain function once
    assertEquals(3, frames.stream().filter(d -> d.function().equals("main.leaf")).count());
    assertEquals("main.wrap (inlined): 7 calls (46.7%), 21.0us (61.8%)", only(frames, "main.wrap").title());
    assertEquals("main.chainA: 3 calls (20.0%), 3.00us (8.8%)", only(frames, "main.chainA").title());
    assertEquals("all: 15 calls (100.0%), 34.0us (100.0%)", only(frames, "all").title());
  }

  @Test
  void widthsAreSharesOfCallsOrOfTimeAndCallersSitBelowCallees() throws Exception {
    double full = FlameGraph.WIDTH - 2 * FlameGraph.PAD;
    List<Drawn> byCalls = parse(svg(Chains.look(1), Weight.CALLS));
    assertEquals(full, only(byCalls, "all").width(), 1e-6);
    assertEquals(full, only(byCalls, "main.round").width(), 0.01);
    assertEquals(full * 7 / 15, only(byCalls, "main.chainC").width(), 0.01);
    assertEquals(full * 5 / 15, only(byCalls, "main.mid").width(), 0.01);
    List<Drawn> byTime = parse(svg(Chains.look(1), Weight.TIME));
    assertEquals(full * 21000 / 34000, only(byTime, "main.chainC").width(), 0.01);
    assertEquals(full * 3000 / 34000, only(byTime, "main.chainA").width(), 0.01);
    // a callee is one frame above its caller (SVG y grows downwards) and starts inside it
    Drawn chainC = only(byTime, "main.chainC");
    Drawn wrap = only(byTime, "main.wrap");
    assertEquals(chainC.y() - FlameGraph.FRAME_HEIGHT, wrap.y(), 1e-6);
    assertEquals(chainC.x(), wrap.x(), 0.01);
    assertTrue(only(byTime, "main.round").y() > chainC.y());
  }

  @Test
  void namesThatXmlWouldMisreadAreEscapedAndTheDocumentStillParses() throws Exception {
    GoStack odd = new GoStack(List.of(new Frame("main.F[go.shape.struct { A <-chan int; B \"x\" & 'y' }]", "m.go", 1,
        false, 1), new Frame("main.ctl\u0001", "m.go", 2, false, 2)), GoStack.End.UNREADABLE, "0x0<bad>");
    List<Drawn> frames = parse(svg(new StackProfile(List.of(new StackProfile.Sample("main.F", odd,
        Log2Histogram.of(5)))), Weight.TIME));
    Set<String> titles = new TreeSet<>();
    frames.forEach(d -> titles.add(d.title()));
    assertTrue(titles.contains("main.F[go.shape.struct { A <-chan int; B \"x\" & 'y' }]: 1 call (100.0%), 5ns (100.0%)"),
        titles.toString());
    assertTrue(titles.contains("main.ctl\ufffd: 1 call (100.0%), 5ns (100.0%)"), titles.toString());
    assertTrue(titles.contains("[stack cut: unreadable frame at 0x0<bad>]: 1 call (100.0%), 5ns (100.0%)"),
        titles.toString());
  }

  @Test
  void anEmptyProfileIsAnEmptyButValidPicture() throws Exception {
    assertEquals(List.of(), parse(svg(new StackProfile(List.of()), Weight.TIME)));
  }
}
