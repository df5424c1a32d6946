package dev.gotrace.goelf.rtype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.goelf.version.GoVersion;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decision of {@link GLayoutPolicy} for each combination of DWARF, derivation and table. */
class GLayoutPolicyTest {
  private static final GoVersion V = GoVersion.parse("go1.26.10").orElseThrow();
  private static final GLayout A = new GLayout(0, 8, 152, 48, 56);
  private static final GLayout B = new GLayout(0, 8, 160, 48, 56);

  private static GLayoutPolicy.Deriver derived(GLayout g) {
    return () -> new Derivation.Derived(g, 0x4e78a0, List.of("runtime.mcall confirms sched and m"));
  }

  @Test
  void dwarfWinsAndNothingIsDerived() throws Exception {
    GLayoutAnswer a = GLayoutPolicy.decide(Optional.of(B), () -> {
      throw new AssertionError("derived although DWARF answered");
    }, Optional.of(A), V);
    assertTrue(a.fromDwarf());
    assertEquals(B, a.known().orElseThrow());
  }

  @Test
  void derivedEqualToTheTableIsUsed() throws Exception {
    GLayoutAnswer.Proven p = assertInstanceOf(GLayoutAnswer.Proven.class,
        GLayoutPolicy.decide(Optional.empty(), derived(A), Optional.of(A), V));
    assertEquals(GLayoutAnswer.Source.TYPE_DESCRIPTOR, p.source());
    assertEquals(A, p.layout());
    assertTrue(p.evidence().contains("0x4e78a0") && p.evidence().contains("mcall"), p.evidence());
  }

  @Test
  void derivedAgainstTheTableIsRefused() throws Exception {
    GLayoutAnswer.Refused r = assertInstanceOf(GLayoutAnswer.Refused.class,
        GLayoutPolicy.decide(Optional.empty(), derived(B), Optional.of(A), V));
    assertTrue(r.reason().contains("goid 160") && r.reason().contains("goid 152")
        && r.reason().contains("go1.26.10") && !r.reason().contains("\n"), r.reason());
  }

  @Test
  void unknownVersionUsesTheDerivedLayoutAlone() throws Exception {
    GLayoutAnswer.Proven p = assertInstanceOf(GLayoutAnswer.Proven.class, GLayoutPolicy.decide(Optional.empty(),
        derived(B), Optional.empty(), GoVersion.parse("go1.99.1").orElseThrow()));
    assertEquals(B, p.layout());
    assertTrue(p.evidence().contains("go1.99.1 not in the table"), p.evidence());
  }

  @Test
  void nothingDerivedIsRefusedEvenWhenTheTableKnows() throws Exception {
    GLayoutAnswer.Refused r = assertInstanceOf(GLayoutAnswer.Refused.class, GLayoutPolicy.decide(Optional.empty(),
        () -> new Derivation.NotDerived("runtime.malg is not in the function table"), Optional.of(A), V));
    assertTrue(r.reason().contains("runtime.malg is not in the function table"), r.reason());
  }

  @Test
  void formatsAreValuesOfTheVersion() {
    assertEquals(new TypeFormat(8, false, true), TypeFormat.of(GoVersion.parse("go1.15.15").orElseThrow(), 8).get());
    assertEquals(new TypeFormat(8, true, true), TypeFormat.of(GoVersion.parse("go1.18").orElseThrow(), 8).get());
    assertEquals(new TypeFormat(4, true, false), TypeFormat.of(GoVersion.parse("go1.99").orElseThrow(), 4).get());
    assertTrue(TypeFormat.of(GoVersion.range(16, 17, "pclntab"), 8).isEmpty());
    assertTrue(TypeFormat.of(GoVersion.range(18, 19, "pclntab"), 8).isEmpty());
    assertEquals(48, new TypeFormat(8, true, false).typeSize());
    assertEquals(32, new TypeFormat(4, true, false).typeSize());
  }
}
