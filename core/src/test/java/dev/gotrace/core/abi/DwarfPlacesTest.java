package dev.gotrace.core.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.dwarf.GoType;
import dev.gotrace.goelf.dwarf.Location;
import dev.gotrace.goelf.dwarf.Param;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Parameter layouts from DWARF locations at one instruction, with location expressions as Go
 * 1.24 writes them for inlined copies (seen in testdata/bin/server with objdump --dwarf=info).
 */
class DwarfPlacesTest {
  static final GoType INT = new GoType.Base("int", 8, 2, 5);
  static final GoType STRING = new GoType.GoString("string", 16, 24, List.of());
  static final GoType FLOAT = new GoType.Base("float64", 8, 14, 4);

  static Param param(String name, GoType t, Location loc) {
    return new Param(name, t, false, Optional.of(loc));
  }

  static Location expr(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return new Location.Expr(b);
  }

  static String at(Param p, long spDelta) {
    return DwarfPlaces.at(Arch.AMD64, List.of(p), 0x1000, spDelta).get(0).describe();
  }

  @Test
  void registersAreMappedFromDwarfNumbersToPtRegs() {
    // DW_OP_reg3 = RBX, DW_OP_reg1 = RDX (not an ABI argument register), DW_OP_reg12 = R12.
    assertEquals("rbx", at(param("a", INT, expr(0x53)), 0));
    assertEquals("rdx", at(param("a", INT, expr(0x51)), 0));
    assertEquals("r12", at(param("a", INT, expr(0x5c)), 0));
    ParamLayout l = DwarfPlaces.at(Arch.AMD64, List.of(param("a", INT, expr(0x51))), 0x1000, 0).get(0);
    assertEquals(96, ((ArgLocation.InRegister) l.pieces().get(0).where()).register().ptRegsOffset());
  }

  @Test
  void cfaOffsetsBecomeOffsetsFromSpAtTheProbe() {
    // DW_OP_fbreg -24 in a function 40 bytes deep: CFA - 24 = SP + 40 + 8 - 24.
    assertEquals("24(SP)", at(param("a", INT, expr(0x91, 0x68)), 40));
    // DW_OP_call_frame_cfa at the entry: the first stack argument slot, 8(SP).
    assertEquals("8(SP)", at(param("a", INT, expr(0x9c)), 0));
  }

  @Test
  void stringPiecesInARegisterAndOnTheStack() {
    // fbreg -24 piece 8, reg3 piece 8: the pointer spilled, the length in RBX.
    Param s = param("s", STRING, expr(0x91, 0x68, 0x93, 0x08, 0x53, 0x93, 0x08));
    assertEquals("40(SP)+rbx", at(s, 56));
  }

  @Test
  void aMissingPieceOrAnUnknownOperationLeavesTheValueUnlocated() {
    // reg0 piece 8, piece 8 (no location for the length).
    ParamLayout half = DwarfPlaces.at(Arch.AMD64, List.of(param("s", STRING, expr(0x50, 0x93, 0x08, 0x93, 0x08))), 0x1000, 0)
        .get(0);
    assertFalse(half.located());
    assertEquals("unlocated", half.describe());
    // DW_OP_lit1 DW_OP_stack_value: a constant, which this reader does not evaluate.
    assertFalse(DwarfPlaces.at(Arch.AMD64, List.of(param("b", INT, expr(0x31, 0x9f))), 0x1000, 0).get(0).located());
    // An empty expression: optimized out.
    assertFalse(DwarfPlaces.at(Arch.AMD64, List.of(param("b", INT, expr())), 0x1000, 0).get(0).located());
    // A whole 16-byte value in one register cannot be.
    assertFalse(DwarfPlaces.at(Arch.AMD64, List.of(param("s", STRING, expr(0x50))), 0x1000, 0).get(0).located());
  }

  @Test
  void aLocationListGivesThePlaceOfTheProbedInstructionOnly() {
    Location list = new Location.LocList(List.of(
        new Location.Entry(0x0f00, 0x1000, new byte[] {0x50}),
        new Location.Entry(0x1000, 0x1010, new byte[] {0x53})));
    assertEquals("rbx", at(param("a", INT, list), 0));
    assertFalse(DwarfPlaces.at(Arch.AMD64, List.of(param("a", INT, list)), 0x1010, 0).get(0).located());
  }

  @Test
  void floatsInXmmRegistersAreMarkedUnreadable() {
    ParamLayout f = DwarfPlaces.at(Arch.AMD64, List.of(param("f", FLOAT, expr(0x62))), 0x1000, 0).get(0); // reg18 = XMM1
    assertTrue(f.located());
    assertTrue(f.inFloatRegister());
    assertEquals("x1", f.describe());
  }
}
