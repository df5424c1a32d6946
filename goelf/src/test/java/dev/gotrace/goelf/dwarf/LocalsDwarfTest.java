package dev.gotrace.goelf.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.dwarf.Synthetic.Buf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Local variables from a hand-written DWARF 4 unit: scope by lexical block (a block without
 * addresses takes its parent's), shadowing by the innermost block, liveness by location list
 * (.debug_loc), and a variable whose location list lies outside the section left out rather than
 * failing the function.
 */
class LocalsDwarfTest {
  static final long LOW = Synthetic.LOW;

  /**
   * {@code func syn.h()} at [LOW, LOW+0x100): x in RAX throughout; a block [LOW+0x10, LOW+0x50)
   * with its own x in RBX, y in RDX over [LOW+0x20, LOW+0x30) only, and a block without
   * addresses holding z in RCX; "bad", whose location list offset is past .debug_loc.
   */
  static Map<String, byte[]> unit() {
    Buf ab = new Buf();
    ab.uleb(1).uleb(Dw.TAG_COMPILE_UNIT).u8(1).uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING).uleb(0).uleb(0);
    ab.uleb(2).uleb(Dw.TAG_BASE_TYPE).u8(0).uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_BYTE_SIZE).uleb(Dw.FORM_DATA1).uleb(0).uleb(0);
    ab.uleb(3).uleb(Dw.TAG_SUBPROGRAM).u8(1).uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_LOW_PC).uleb(Dw.FORM_ADDR).uleb(Dw.AT_HIGH_PC).uleb(Dw.FORM_DATA4).uleb(0).uleb(0);
    ab.uleb(4).uleb(LocalDies.TAG_VARIABLE).u8(0).uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_TYPE).uleb(Dw.FORM_REF4).uleb(Dw.AT_LOCATION).uleb(Dw.FORM_EXPRLOC).uleb(0).uleb(0);
    ab.uleb(5).uleb(LocalDies.TAG_LEXICAL_BLOCK).u8(1).uleb(Dw.AT_LOW_PC).uleb(Dw.FORM_ADDR)
        .uleb(Dw.AT_HIGH_PC).uleb(Dw.FORM_DATA1).uleb(0).uleb(0);
    ab.uleb(6).uleb(LocalDies.TAG_VARIABLE).u8(0).uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_TYPE).uleb(Dw.FORM_REF4).uleb(Dw.AT_LOCATION).uleb(Dw.FORM_SEC_OFFSET).uleb(0).uleb(0);
    ab.uleb(7).uleb(LocalDies.TAG_LEXICAL_BLOCK).u8(1).uleb(0).uleb(0);
    ab.uleb(0);
    Buf loc = new Buf().u64(LOW + 0x20).u64(LOW + 0x30).u16(1).u8(Dw.OP_REG0 + 1).u64(0).u64(0);
    Buf u = new Buf();
    u.u32(0).u16(4).u32(0).u8(8);
    u.uleb(1).cstr("syn");
    int intDie = u.pos();
    u.uleb(2).cstr("int").u8(8);
    u.uleb(3).cstr("syn.h").u64(LOW).u32(0x100);
    u.uleb(4).cstr("x").u32(intDie).uleb(1).u8(Dw.OP_REG0);
    u.uleb(6).cstr("bad").u32(intDie).u32(0x1000);
    u.uleb(5).u64(LOW + 0x10).u8(0x40);
    u.uleb(4).cstr("x").u32(intDie).uleb(1).u8(Dw.OP_REG0 + 3);
    u.uleb(6).cstr("y").u32(intDie).u32(0);
    u.uleb(7);
    u.uleb(4).cstr("z").u32(intDie).uleb(1).u8(Dw.OP_REG0 + 2);
    u.u8(0); // end of the block without addresses
    u.u8(0); // end of the block
    u.u8(0); // end of syn.h
    u.u8(0); // end of the unit
    byte[] info = u.toArray();
    Buf.patch32(info, 0, info.length - 4);
    return Map.of(".debug_info", info, ".debug_abbrev", ab.toArray(), ".debug_loc", loc.toArray());
  }

  static Map<String, Optional<Place>> at(GoDwarf d, long pc) {
    Subprogram h = d.function("syn.h").orElseThrow();
    Map<String, Optional<Place>> out = new LinkedHashMap<>();
    for (Param p : d.localsAt(h.dieOffset(), pc)) {
      out.put(p.name(), p.placeAt(pc));
    }
    return out;
  }

  @Test
  void scopeShadowingAndLiveness() throws Exception {
    GoDwarf d = SyntheticDwarfTest.read(unit());
    Optional<Place> rax = Optional.of(new Place.Register(0));
    assertEquals(Map.of("x", rax), at(d, LOW + 0x5), "outside the block: the outer x alone");
    Map<String, Optional<Place>> inner = at(d, LOW + 0x15);
    assertEquals(List.of("x", "y", "z"), List.copyOf(inner.keySet()));
    assertEquals(Optional.of(new Place.Register(3)), inner.get("x"), "the block's x shadows the function's");
    assertEquals(Optional.empty(), inner.get("y"), "y is in scope but not live before its range");
    assertEquals(Optional.of(new Place.Register(2)), inner.get("z"), "a block without addresses has its parent's");
    assertEquals(Optional.of(new Place.Register(1)), at(d, LOW + 0x25).get("y"), "live in its range");
    assertEquals(Map.of("x", rax), at(d, LOW + 0x60), "past the block");
    assertTrue(d.localsAt(d.function("syn.h").orElseThrow().dieOffset(), LOW + 0x15).stream()
        .noneMatch(p -> p.name().equals("bad")), "a variable whose location list cannot be read is left out");
  }
}
