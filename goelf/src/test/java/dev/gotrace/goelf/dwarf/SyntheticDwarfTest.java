package dev.gotrace.goelf.dwarf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.CorruptBinaryException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DWARF 5 forms, the 64-bit format and damaged input, on sections written by {@link Synthetic}. */
class SyntheticDwarfTest {
  static final Path FILE = Path.of("synthetic");

  static GoDwarf read(Map<String, byte[]> sections) throws Exception {
    return GoDwarf.read(ObjcopySections.of(sections, FILE), 8);
  }

  @Test
  void dwarf5FormsAreDecoded() throws Exception {
    GoDwarf d = read(Synthetic.v5());
    Subprogram f = d.function("syn.f").orElseThrow();
    assertEquals(Synthetic.LOW, f.lowPc(), "DW_FORM_addrx1 through .debug_addr");
    assertEquals(Synthetic.LOW + 0x40, f.highPc(), "high_pc as a length");
    assertEquals(List.of("a", "~r0", "~r1"), f.params().stream().map(Param::name).toList(), "strx2, strp");
    assertEquals(List.of(false, true, true), f.params().stream().map(Param::result).toList());
    GoType.Base i = assertInstanceOf(GoType.Base.class, f.params().get(0).type());
    assertEquals("int", i.name(), "DW_FORM_strx");
    assertEquals(8, i.size(), "DW_FORM_implicit_const");
    // loclistx: a register at entry, then a frame offset (DW_LLE_offset_pair from the unit base)
    Param a = f.params().get(0);
    assertEquals(Optional.of(new Place.Register(0)), a.placeAt(f.lowPc()));
    assertEquals(Optional.of(new Place.CfaOffset(-8)), a.placeAt(f.lowPc() + 0x18));
    assertEquals(Optional.empty(), a.placeAt(f.lowPc() + 0x30));
    assertEquals(Optional.of(new Place.CfaOffset(0)), f.params().get(1).placeAt(f.lowPc()));
    assertEquals(Optional.of(new Place.CfaOffset(8)), f.params().get(2).placeAt(f.lowPc()));
    assertEquals(Optional.of(f), d.functionAt(Synthetic.LOW + 0x3f));
    assertEquals(Optional.empty(), d.functionAt(Synthetic.LOW + 0x40));
  }

  @Test
  void concreteCopiesTakeNamesAndTypesFromTheirAbstractOrigin() throws Exception {
    GoDwarf d = read(Synthetic.v5());
    Subprogram inl = d.function("syn.inl").orElseThrow();
    assertEquals(Synthetic.LOW + 0x100, inl.lowPc());
    assertEquals(Synthetic.LOW + 0x120, inl.highPc());
    assertEquals(List.of("k", "~r0"), inl.params().stream().map(Param::name).toList());
    assertEquals(List.of(false, true), inl.params().stream().map(Param::result).toList());
    assertEquals("int", inl.params().get(1).type().name());
    assertEquals(Optional.of(new Place.Register(3)), inl.params().get(0).placeAt(inl.lowPc()));
    assertEquals(Optional.empty(), inl.params().get(1).placeAt(inl.lowPc()), "empty expression");
    assertEquals(3, d.functions().size(), "the abstract DIE has no code and is not listed");
  }

  @Test
  void rangesGiveTheEntryOfASplitFunction() throws Exception {
    Subprogram split = read(Synthetic.v5()).function("syn.split").orElseThrow();
    assertEquals(Synthetic.LOW + 0x180, split.lowPc());
    assertEquals(Synthetic.LOW + 0x190, split.highPc());
  }

  @Test
  void cyclicTypesResolveToAFiniteGraph() throws Exception {
    GoDwarf d = read(Synthetic.v5());
    GoType.Struct node = assertInstanceOf(GoType.Struct.class, d.typeNamed("syn.Node").orElseThrow());
    assertEquals(16, node.size());
    GoType.Field next = node.fields().get(1);
    assertEquals("next", next.name());
    assertEquals(8, next.offset());
    GoType.Pointer p = assertInstanceOf(GoType.Pointer.class, next.type().get());
    assertEquals(node, p.elem().orElseThrow().get(), "the pointer leads back to the struct");
    assertTrue(node.toString().contains("*syn.Node"), node.toString());
    assertEquals(node.hashCode(), d.typeNamed("syn.Node").orElseThrow().hashCode());
    assertEquals(p, d.function("syn.f").orElseThrow().params().get(2).type());
    assertEquals("*syn.Node", p.name(), "DW_FORM_line_strp");
    assertEquals(8, p.size(), "a pointer without DW_AT_byte_size has the address size");
  }

  @Test
  void dwarf64FormatIsRead() throws Exception {
    GoDwarf d = read(Synthetic.v4Dwarf64());
    Subprogram g = d.function("syn.g").orElseThrow();
    assertEquals(Synthetic.LOW + 0x30, g.highPc(), "high_pc as an address");
    Param x = g.params().get(0);
    assertEquals("int", x.type().name());
    assertEquals(Optional.of(new Place.CfaOffset(8)), x.placeAt(Synthetic.LOW));
    assertArrayEquals(new byte[] {(byte) 0x9c, 0x11, 8, 0x22}, x.location().orElseThrow().exprAt(0).orElseThrow());
  }

  private static Map<String, byte[]> with(Map<String, byte[]> base, String name, byte[] bytes) {
    Map<String, byte[]> m = new HashMap<>(base);
    m.put(name, bytes);
    return m;
  }

  private static CorruptBinaryException corrupt(Map<String, byte[]> sections) {
    return assertThrows(CorruptBinaryException.class, () -> read(sections));
  }

  @Test
  void truncatedInfoIsCorrupt() {
    byte[] info = Synthetic.v5().get(".debug_info");
    for (int cut : new int[] {3, 11, 20, info.length - 5}) {
      byte[] t = java.util.Arrays.copyOf(info, cut);
      CorruptBinaryException e = corrupt(with(Synthetic.v5(), ".debug_info", t));
      assertEquals(".debug_info", e.section(), e.getMessage());
    }
  }

  @Test
  void unknownAbbreviationCodeIsCorrupt() {
    byte[] info = Synthetic.v5().get(".debug_info");
    info[12] = 0x7e; // the root DIE's abbreviation code
    CorruptBinaryException e = corrupt(with(Synthetic.v5(), ".debug_info", info));
    assertEquals(".debug_info", e.section());
    assertEquals(12, e.offset());
    assertTrue(e.getMessage().contains("unknown abbreviation code 126"), e.getMessage());
  }

  @Test
  void stringOffsetOutOfRangeIsCorrupt() {
    Map<String, byte[]> m = Synthetic.v4Dwarf64();
    byte[] info = m.get(".debug_info").clone();
    // header (23 bytes), root DIE (5), base type DIE (6), the subprogram's code, then its strp
    int at = 23 + 5 + 6 + 1;
    assertEquals(1, info[at], "the strp of syn.g");
    info[at] = 0x70;
    CorruptBinaryException e = corrupt(with(m, ".debug_info", info));
    assertEquals(".debug_str", e.section(), e.getMessage());
    assertEquals(0x70, e.offset());
  }

  @Test
  void missingSectionsAndBadHeadersAreCorrupt() {
    Map<String, byte[]> m = new HashMap<>(Synthetic.v5());
    m.remove(".debug_str_offsets");
    assertEquals(".debug_info", corrupt(m).section());
    byte[] info = Synthetic.v5().get(".debug_info");
    info[4] = 9; // DWARF version 9
    assertTrue(corrupt(with(Synthetic.v5(), ".debug_info", info)).getMessage().contains("version 9"));
    info = Synthetic.v5().get(".debug_info");
    info[7] = 2; // address size 2
    assertTrue(corrupt(with(Synthetic.v5(), ".debug_info", info)).getMessage().contains("address size"));
    Map<String, byte[]> none = new HashMap<>(Synthetic.v5());
    none.remove(".debug_abbrev");
    assertThrows(CorruptBinaryException.class, () -> ObjcopySections.of(none, FILE));
    assertThrows(CorruptBinaryException.class, () -> GoDwarf.read(ObjcopySections.of(Synthetic.v5(), FILE), 4),
        "8-byte addresses in a 4-byte-pointer binary");
  }

  @Test
  void placeDecoderNeverThrows() {
    assertEquals(new Place.Register(17), Place.decode(new byte[] {(byte) 0x90, 17}));
    assertEquals(new Place.CfaOffset(24), Place.decode(new byte[] {(byte) 0x9c, 0x11, 24, 0x22}));
    assertInstanceOf(Place.Unsupported.class, Place.decode(new byte[] {(byte) 0x90}));
    assertInstanceOf(Place.Unsupported.class, Place.decode(new byte[] {(byte) 0x93, (byte) 0x80}));
    assertInstanceOf(Place.Unsupported.class, Place.decode(new byte[] {0x03, 1, 2}));
    assertEquals(new Place.Pieces(List.of(new Place.Piece(8, Optional.empty()),
        new Place.Piece(8, Optional.of(new Place.Register(3))))),
        Place.decode(new byte[] {(byte) 0x93, 8, 0x53, (byte) 0x93, 8}));
  }
}
