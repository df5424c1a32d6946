package dev.gotrace.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.spec.ArgsSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.TestBinaries;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Real uprobes decoding arguments and results: the workload's every argument shape in both ABIs,
 * and a stripped build (raw words). The server's prepareAnswer over every series and variant is
 * {@link CurrentGoLiveTest}'s.
 */
class ArgsLiveTest {

  static boolean deref;

  static ArgsPlan plan(GoBinary b, String... patterns) throws Exception {
    return new ArgsPlanner(new Planner(Planner.DEFAULT_MAX_SITES), ArgsPlanner.DEFAULT_STRSIZE, deref)
        .plan(b, Stream.of(patterns).map(NamePattern::parse).toList());
  }

  /** Runs the workload for {@code rounds} rounds with the probes attached; returns what they saw. */
  static List<Event> workload(Path bin, int rounds, String... patterns) throws Exception {
    return workload(bin, rounds, new StringBuilder(), patterns);
  }

  /** Runs the workload traced; its output goes to {@code output}. */
  static List<Event> workload(Path bin, int rounds, StringBuilder output, String... patterns) throws Exception {
    List<Event> events = new ArrayList<>();
    Process p = new ProcessBuilder(bin.toString(), "-wait", "-n", String.valueOf(rounds), "-goroutines", "1",
        "-depth", "10").redirectErrorStream(true).start();
    try (GoBinary b = GoBinary.open(bin)) {
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String ready = r.readLine();
      assertTrue(ready != null && ready.startsWith("ready "), String.valueOf(ready));
      ArgsPlan plan = plan(b, patterns);
      try (Session t = Session.open(ArgsSpec.of(plan, b, Session.DEFAULT_RING_BYTES), b, List.of((int) p.pid()), Set.of())) {
        OutputStream in = p.getOutputStream();
        in.write('\n');
        in.flush();
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          output.append(line).append('\n');
          t.poll(0, events::add);
        }
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "the traced workload exits normally");
        t.drain(events::add);
        assertEquals(0, t.drops());
      }
    } finally {
      p.destroyForcibly();
    }
    return events;
  }

  static Map<String, List<String>> calls(List<Event> events) {
    return events.stream().filter(e -> e instanceof Event.Entry).map(e -> (Event.Entry) e)
        .collect(Collectors.groupingBy(Event.Entry::function, TreeMap::new,
            Collectors.mapping(c -> String.join(", ", c.args().stream().map(a -> a.name() + "=" + a.value()).toList()),
                Collectors.toList())));
  }

  static Map<String, List<String>> returns(List<Event> events) {
    return events.stream().filter(e -> e instanceof Event.Return).map(e -> (Event.Return) e)
        .collect(Collectors.groupingBy(Event.Return::function, TreeMap::new,
            Collectors.mapping(c -> String.join(", ", c.results().stream().map(Event.Arg::value).toList()),
                Collectors.toList())));
  }

  @TestFactory
  Stream<DynamicTest> workloadEveryShape() {
    TestBinaries.requireRoot();
    return Stream.of("go1.24/default", "go1.24/pie", "go1.15/default").map(s -> DynamicTest.dynamicTest(s,
        () -> workloadShapes(s.split("/")[0], s.split("/")[1])));
  }

  static void workloadShapes(String series, String variant) throws Exception {
    boolean regs = !series.equals("go1.15");
    List<Event> ev = workload(TestBinaries.get(series, "amd64", variant, "workload").path(), 2,
        "main.with*", "main.multiResult", "main.manyArgs");
    Map<String, List<String>> c = calls(ev);
    Map<String, List<String>> r = returns(ev);
    System.out.println(series + " calls: " + c);
    System.out.println(series + " returns: " + r);
    assertEquals(List.of("s=\"GopherConRussia2020\"", "s=\"GopherConRussia2020\""), c.get("main.withString"));
    assertEquals(List.of("19", "19"), r.get("main.withString"));
    assertEquals(List.of("b=[]byte(\"bytes\") (len=5 cap=5)", "b=[]byte(\"bytes\") (len=5 cap=5)"),
        c.get("main.withBytes"));
    assertEquals(List.of("xs=[]int{1, 2, 3, 0} (len=4 cap=4)", "xs=[]int{1, 2, 3, 1} (len=4 cap=4)"),
        c.get("main.withInts"));
    assertEquals(List.of("p=main.Point{X: 3, Y: 4}", "p=main.Point{X: 3, Y: 4}"), c.get("main.withStruct"));
    assertEquals(List.of("main.Point{X: 4, Y: 3}", "main.Point{X: 4, Y: 3}"), r.get("main.withStruct"));
    assertTrue(c.get("main.withPointer").stream().allMatch(s -> s.matches("p=0x[0-9a-f]+")), c.toString());
    assertTrue(c.get("main.withInterface").stream().allMatch(s -> s.matches("v=main\\.Point\\(0x[0-9a-f]+\\)")),
        c.toString());
    assertEquals(List.of("fail=false", "fail=true"), c.get("main.withError"));
    assertEquals("nil", r.get("main.withError").get(0));
    assertTrue(r.get("main.withError").get(1).matches("\\*main\\.notFound\\(0x[0-9a-f]+\\)"), r.toString());
    assertEquals(List.of("b=true", "b=false"), c.get("main.withBool"));
    assertEquals(List.of("false", "true"), r.get("main.withBool"));
    assertEquals(regs ? List.of("x=(unavailable: float register)", "x=(unavailable: float register)")
        : List.of("x=0.25", "x=1.25"), c.get("main.withFloat"));
    assertEquals(regs ? List.of("(unavailable: float register)", "(unavailable: float register)")
        : List.of("0.375", "1.875"), r.get("main.withFloat"));
    assertEquals(List.of("a=0, s=\"go\"", "a=1, s=\"go\""), c.get("main.multiResult"));
    assertEquals(List.of("0, \"gogo\", nil", "2, \"gogo\", nil"), r.get("main.multiResult"));
    assertEquals(List.of("a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, i=9, j=10, k=11, l=0",
        "a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, i=9, j=10, k=11, l=1"), c.get("main.manyArgs"));
    assertEquals(List.of("66", "67"), r.get("main.manyArgs"));
    // Memory nothing maps: the pointer is shown, the string's bytes are said to be unreadable.
    String bad = "p=0xdead0000, s=(unreadable string at 0xdead0000, len 5)";
    assertEquals(List.of(bad, bad), c.get("main.withBadMemory"));
    assertEquals(List.of("5", "5"), r.get("main.withBadMemory"));
  }

  @TestFactory
  Stream<DynamicTest> derefAndErrorMessages() {
    TestBinaries.requireRoot();
    return Stream.of("go1.24", "go1.15").map(s -> DynamicTest.dynamicTest(s, () -> {
      List<Event> ev;
      deref = true;
      try {
        ev = workload(TestBinaries.get(s, "amd64", "default", "workload").path(), 2, "main.withPointer",
            "main.mayPanic", "main.withBadMemory");
      } finally {
        deref = false;
      }
      Map<String, List<String>> c = calls(ev);
      Map<String, List<String>> r = returns(ev);
      assertEquals(List.of("p=&main.Point{X: 5, Y: 6}", "p=&main.Point{X: 5, Y: 6}"), c.get("main.withPointer"));
      String bad = "p=0xdead0000 (unreadable), s=(unreadable string at 0xdead0000, len 5)";
      assertEquals(List.of(bad, bad), c.get("main.withBadMemory"));
      // mayPanic(0) panics, recovers and returns fmt.Errorf's *errors.errorString; 1 and 2 return nil.
      assertEquals(List.of("*errors.errorString(\"recovered: boom\")", "nil", "nil",
          "*errors.errorString(\"recovered: boom\")", "nil", "nil"), r.get("main.mayPanic"));
    }));
  }

  /**
   * inlineUser(r) = add(r, 1) + add(r, 2): two copies, each probed once per round. b is a
   * constant the compiler folded, so DWARF gives it no location; a is r where DWARF locates it
   * at the copy's first instruction (Go 1.15: the stack argument; 1.19: RAX), and unavailable in
   * 1.22+, whose code computes 2r+3 before either copy and keeps r nowhere.
   */
  @TestFactory
  Stream<DynamicTest> inlinedCopiesShowTheArgumentsDwarfLocates() {
    TestBinaries.requireRoot();
    return TestBinaries.series().stream().map(series -> DynamicTest.dynamicTest(series, () -> {
      Path bin = TestBinaries.get(series, "amd64", "default", "workload").path();
      List<Event> ev = workload(bin, 3, "main.add", "main.inlineUser");
      List<Event.Entry> adds = ev.stream().filter(e -> e instanceof Event.Entry c
          && c.function().equals("main.add")).map(e -> (Event.Entry) e).toList();
      assertEquals(6, adds.size(), ev.toString());
      assertTrue(adds.stream().allMatch(c -> c.argsKnown()
          && c.inlinedInto().matches("main\\.inlineUser at main\\.go:\\d+")), adds.toString());
      String gone = "(unavailable: no DWARF location here)";
      boolean located = TestBinaries.get(series, "amd64", "default", "workload").goMinor() < 22;
      List<String> expected = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        String a = "a=" + (located ? String.valueOf(r) : gone);
        expected.add(a + ", b=" + gone);
        expected.add(a + ", b=" + gone);
      }
      assertEquals(expected, calls(ev).get("main.add"));
      assertEquals(List.of("r=0", "r=1", "r=2"), calls(ev).get("main.inlineUser"));
      assertEquals(List.of("3", "5", "7"), returns(ev).get("main.inlineUser"));
    }));
  }

  /**
   * counter.hit is inlined into every function of the workload, 20-odd copies, with its receiver
   * in whichever register or stack slot the enclosing function chose. With --deref each copy's
   * call shows the counter it increments, named after the function, and its count before the
   * increment: for every counter, exactly 0, 1, ... up to the number of calls the workload reports.
   */
  @TestFactory
  Stream<DynamicTest> everyInlinedCounterHitShowsItsCounter() {
    TestBinaries.requireRoot();
    return TestBinaries.series().stream().map(series -> DynamicTest.dynamicTest(series, () -> {
      Path bin = TestBinaries.get(series, "amd64", "default", "workload").path();
      StringBuilder out = new StringBuilder();
      List<Event> ev;
      deref = true;
      try {
        ev = workload(bin, 2, out, "main.(*counter).hit");
      } finally {
        deref = false;
      }
      Map<String, Long> counts = dev.gotrace.testdata.WorkloadCounts.parse(out.toString());
      java.util.regex.Pattern shape = java.util.regex.Pattern.compile(
          "c=&main\\.counter\\{name: \"([^\"]+)\", n: (\\d+)\\}");
      Map<String, List<Long>> seen = new TreeMap<>();
      for (Event e : ev) {
        Event.Entry c = (Event.Entry) e;
        assertTrue(c.argsKnown() && !c.inlinedInto().isEmpty(), c.toString());
        java.util.regex.Matcher m = shape.matcher(calls(List.of(c)).get("main.(*counter).hit").get(0));
        assertTrue(m.matches(), c.toString());
        seen.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Long.parseLong(m.group(2)));
      }
      Map<String, Long> hit = new TreeMap<>();
      seen.forEach((name, ns) -> hit.put(name, (long) ns.size()));
      Map<String, Long> called = new TreeMap<>(counts);
      called.values().removeIf(n -> n == 0);
      assertEquals(called, hit);
      seen.forEach((name, ns) -> assertEquals(
          java.util.stream.LongStream.range(0, ns.size()).boxed().toList(), ns.stream().sorted().toList(), name));
    }));
  }

  @Test
  void strippedBuildShowsRawWords() throws Exception {
    TestBinaries.requireRoot();
    List<Event> ev = workload(TestBinaries.get("go1.24", "amd64", "stripped", "workload").path(), 2,
        "main.manyArgs");
    Map<String, List<String>> c = calls(ev);
    // the register ABI: one integer register per word of the argument info, all nine of them
    String nine = "arg0=0x1, arg1=0x2, arg2=0x3, arg3=0x4, arg4=0x5, arg5=0x6, arg6=0x7, arg7=0x8, arg8=0x9";
    assertEquals(List.of(nine, nine), c.get("main.manyArgs"));
    Map<String, List<String>> r = returns(ev);
    assertEquals("0x42", r.get("main.manyArgs").get(0).split(", ")[0]);

    // Stack ABI without DWARF: the args size's 13 words from 8(SP) (12 arguments, 1 result), the first ten.
    List<Event> old = workload(TestBinaries.get("go1.15", "amd64", "stripped", "workload").path(), 1,
        "main.manyArgs");
    assertEquals(List.of(nine + ", arg9=0xa"), calls(old).get("main.manyArgs"));
    assertEquals(List.of(""), returns(old).get("main.manyArgs"));
  }
}
