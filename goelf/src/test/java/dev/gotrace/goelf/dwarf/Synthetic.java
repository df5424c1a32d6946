package dev.gotrace.goelf.dwarf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-only writer of small DWARF sections, byte by byte per the DWARF 4 and 5 standards, for
 * forms no Go toolchain emits (strx, addrx, line_strp, implicit_const, data16, loclistx,
 * rnglistx, the 64-bit format) and as a seed for damaged-input tests.
 */
final class Synthetic {
  private Synthetic() {}

  /** A growable little-endian byte buffer with patching. */
  static final class Buf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    int pos() {
      return out.size();
    }

    Buf u8(long v) {
      out.write((int) v);
      return this;
    }

    Buf u16(long v) {
      return u8(v).u8(v >> 8);
    }

    Buf u32(long v) {
      return u16(v).u16(v >> 16);
    }

    Buf u64(long v) {
      return u32(v).u32(v >> 32);
    }

    Buf uleb(long v) {
      do {
        int b = (int) (v & 0x7f);
        v >>>= 7;
        u8(v != 0 ? b | 0x80 : b);
      } while (v != 0);
      return this;
    }

    Buf sleb(long v) {
      while (true) {
        int b = (int) (v & 0x7f);
        v >>= 7;
        boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
        u8(done ? b : b | 0x80);
        if (done) {
          return this;
        }
      }
    }

    Buf cstr(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write(b, 0, b.length);
      return u8(0);
    }

    Buf bytes(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    byte[] toArray() {
      return out.toByteArray();
    }

    /** The bytes with a 32-bit little-endian value written at {@code at}. */
    static byte[] patch32(byte[] b, int at, long v) {
      for (int i = 0; i < 4; i++) {
        b[at + i] = (byte) (v >> (8 * i));
      }
      return b;
    }
  }

  static final long LOW = 0x401000L;

  /**
   * A DWARF 5 unit (32-bit format, 8-byte addresses) describing
   * {@code func syn.f(a int) (~r0 int, ~r1 *syn.Node)}, the cyclic {@code syn.Node}, and
   * {@code func syn.inl(k int) int} as an abstract DIE plus a concrete copy at LOW + 0x100, and
   * {@code syn.split} whose code lies in two ranges (DW_FORM_rnglistx).
   */
  static Map<String, byte[]> v5() {
    Buf str = new Buf();
    int sUnit = str.pos();
    str.cstr("syn");
    int sInt = str.pos();
    str.cstr("int");
    int sA = str.pos();
    str.cstr("a");
    int sR0 = str.pos();
    str.cstr("~r0");
    int sR1 = str.pos();
    str.cstr("~r1");
    Buf lineStr = new Buf().cstr("synthetic producer");
    int lsPtr = lineStr.pos();
    lineStr.cstr("*syn.Node");
    Buf strOff = new Buf().u32(4 + 2 * 4).u16(5).u16(0).u32(sUnit).u32(sInt).u32(sA);
    Buf addr = new Buf().u32(4 + 2 * 8).u16(5).u8(8).u8(0).u64(0x400000L).u64(LOW);
    // loclists: header, one offset, then the list for "a": reg0 over [LOW, LOW+0x10)
    Buf loc = new Buf().u32(0).u16(5).u8(8).u8(0).u32(1).u32(4);
    loc.u8(Dw.LLE_STARTX_LENGTH).uleb(1).uleb(0x10).uleb(1).u8(0x50);
    loc.u8(Dw.LLE_OFFSET_PAIR).uleb(0x10).uleb(0x20).uleb(2).u8(0x91).sleb(-8);
    loc.u8(Dw.LLE_END_OF_LIST);
    byte[] locBytes = Buf.patch32(loc.toArray(), 0, loc.pos() - 4);

    Buf ab = new Buf();
    ab.uleb(1).uleb(Dw.TAG_COMPILE_UNIT).u8(1)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRX1)
        .uleb(0x25).uleb(Dw.FORM_LINE_STRP) // producer
        .uleb(Dw.AT_STR_OFFSETS_BASE).uleb(Dw.FORM_SEC_OFFSET)
        .uleb(Dw.AT_ADDR_BASE).uleb(Dw.FORM_SEC_OFFSET)
        .uleb(Dw.AT_LOCLISTS_BASE).uleb(Dw.FORM_SEC_OFFSET)
        .uleb(Dw.AT_LOW_PC).uleb(Dw.FORM_ADDRX)
        .uleb(Dw.AT_GO_PACKAGE_NAME).uleb(Dw.FORM_STRING)
        .uleb(0).uleb(0);
    ab.uleb(2).uleb(Dw.TAG_BASE_TYPE).u8(0)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRX)
        .uleb(Dw.AT_BYTE_SIZE).uleb(Dw.FORM_IMPLICIT_CONST).sleb(8)
        .uleb(Dw.AT_ENCODING).uleb(Dw.FORM_DATA1)
        .uleb(Dw.AT_GO_KIND).uleb(Dw.FORM_DATA1)
        .uleb(0x1c).uleb(Dw.FORM_DATA16) // DW_AT_const_value, to exercise data16
        .uleb(0).uleb(0);
    ab.uleb(3).uleb(Dw.TAG_SUBPROGRAM).u8(1)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_LOW_PC).uleb(Dw.FORM_ADDRX1)
        .uleb(Dw.AT_HIGH_PC).uleb(Dw.FORM_DATA4)
        .uleb(0).uleb(0);
    ab.uleb(4).uleb(Dw.TAG_FORMAL_PARAMETER).u8(0)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRX2)
        .uleb(Dw.AT_TYPE).uleb(Dw.FORM_REF4)
        .uleb(Dw.AT_VARIABLE_PARAMETER).uleb(Dw.FORM_FLAG)
        .uleb(Dw.AT_LOCATION).uleb(Dw.FORM_LOCLISTX)
        .uleb(0).uleb(0);
    ab.uleb(5).uleb(Dw.TAG_FORMAL_PARAMETER).u8(0)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRP)
        .uleb(Dw.AT_TYPE).uleb(Dw.FORM_REF_ADDR)
        .uleb(Dw.AT_VARIABLE_PARAMETER).uleb(Dw.FORM_FLAG_PRESENT)
        .uleb(Dw.AT_LOCATION).uleb(Dw.FORM_EXPRLOC)
        .uleb(0).uleb(0);
    ab.uleb(6).uleb(Dw.TAG_STRUCTURE_TYPE).u8(1)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_BYTE_SIZE).uleb(Dw.FORM_UDATA)
        .uleb(Dw.AT_GO_KIND).uleb(Dw.FORM_IMPLICIT_CONST).sleb(25)
        .uleb(0).uleb(0);
    ab.uleb(7).uleb(Dw.TAG_MEMBER).u8(0)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_DATA_MEMBER_LOCATION).uleb(Dw.FORM_SDATA)
        .uleb(Dw.AT_TYPE).uleb(Dw.FORM_REF_UDATA)
        .uleb(Dw.AT_GO_EMBEDDED_FIELD).uleb(Dw.FORM_FLAG)
        .uleb(0).uleb(0);
    ab.uleb(8).uleb(Dw.TAG_POINTER_TYPE).u8(0)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_LINE_STRP)
        .uleb(Dw.AT_TYPE).uleb(Dw.FORM_REF2)
        .uleb(Dw.AT_GO_KIND).uleb(Dw.FORM_DATA1)
        .uleb(0).uleb(0);
    ab.uleb(9).uleb(0x0b).u8(0) // lexical block with rnglistx ranges
        .uleb(Dw.AT_RANGES).uleb(Dw.FORM_RNGLISTX)
        .uleb(0).uleb(0);
    // An inlinable function: its abstract DIE (names, types) and a concrete copy with code.
    ab.uleb(10).uleb(Dw.TAG_SUBPROGRAM).u8(1)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(0x20).uleb(Dw.FORM_DATA1) // DW_AT_inline
        .uleb(0).uleb(0);
    ab.uleb(11).uleb(Dw.TAG_FORMAL_PARAMETER).u8(0)
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_TYPE).uleb(Dw.FORM_REF4)
        .uleb(Dw.AT_VARIABLE_PARAMETER).uleb(Dw.FORM_FLAG)
        .uleb(0).uleb(0);
    ab.uleb(12).uleb(Dw.TAG_SUBPROGRAM).u8(1)
        .uleb(Dw.AT_ABSTRACT_ORIGIN).uleb(Dw.FORM_REF4)
        .uleb(Dw.AT_LOW_PC).uleb(Dw.FORM_ADDR)
        .uleb(Dw.AT_HIGH_PC).uleb(Dw.FORM_DATA1)
        .uleb(0).uleb(0);
    ab.uleb(13).uleb(Dw.TAG_FORMAL_PARAMETER).u8(0)
        .uleb(Dw.AT_ABSTRACT_ORIGIN).uleb(Dw.FORM_REF4)
        .uleb(Dw.AT_LOCATION).uleb(Dw.FORM_EXPRLOC)
        .uleb(0).uleb(0);
    ab.uleb(14).uleb(Dw.TAG_SUBPROGRAM).u8(0) // code in two ranges, no low_pc
        .uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_RANGES).uleb(Dw.FORM_RNGLISTX)
        .uleb(0).uleb(0);
    ab.uleb(0);
    // rnglists: header, one offset, then [LOW+0x200, LOW+0x210) and [LOW+0x180, LOW+0x190)
    Buf rng = new Buf().u32(0).u16(5).u8(8).u8(0).u32(1).u32(4);
    rng.u8(4).uleb(0x200).uleb(0x210); // DW_RLE_offset_pair from the unit's base
    rng.u8(7).u64(LOW + 0x180).uleb(0x10); // DW_RLE_start_length
    rng.u8(0);
    byte[] rngBytes = Buf.patch32(rng.toArray(), 0, rng.pos() - 4);

    // DIE offsets inside the unit (header of 12 bytes precedes the first DIE).
    Buf u = new Buf();
    u.u32(0).u16(5).u8(Dw.UT_COMPILE).u8(8).u32(0);
    u.uleb(1).u8(0).u32(0).u32(8).u32(8).u32(12).uleb(1).cstr("syn");
    int intDie = u.pos();
    u.uleb(2).uleb(1).u8(5).u8(2).bytes(new byte[16]);
    int subDie = u.pos();
    u.uleb(3).cstr("syn.f").u8(1).u32(0x40);
    u.uleb(4).u16(2);
    int typeFix1 = u.pos();
    u.u32(0).u8(0).uleb(0);
    u.uleb(5).u32(sR0);
    int typeFix2 = u.pos();
    u.u32(0).uleb(1).u8(0x9c);
    u.uleb(5).u32(sR1);
    int typeFix3 = u.pos();
    u.u32(0).uleb(3).u8(0x9c).u8(0x23).uleb(8);
    u.uleb(9).uleb(0);
    u.u8(0); // end of subprogram children
    int nodeDie = u.pos();
    u.uleb(6).cstr("syn.Node").uleb(16);
    u.uleb(7).cstr("val").sleb(0).uleb(intDie).u8(0);
    u.uleb(7).cstr("next").sleb(8);
    int nextFix = u.pos();
    u.u8(0).u8(0); // uleb ref patched below (2-byte uleb room)
    u.u8(0); // embedded
    u.u8(0); // end of struct children
    int ptrDie = u.pos();
    u.uleb(8).u32(lsPtr).u16(nodeDie).u8(22);
    int absDie = u.pos();
    u.uleb(10).cstr("syn.inl").u8(1);
    int absParam = u.pos();
    u.uleb(11).cstr("k").u32(intDie).u8(0);
    u.uleb(11).cstr("~r0").u32(intDie).u8(1);
    u.u8(0);
    u.uleb(12).u32(absDie).u64(LOW + 0x100).u8(0x20);
    u.uleb(13).u32(absParam).uleb(1).u8(0x53);
    u.uleb(13).u32(absParam + 1 + 2 + 4 + 1).uleb(0);
    u.u8(0);
    u.uleb(14).cstr("syn.split").uleb(0);
    u.u8(0); // end of unit children
    byte[] info = u.toArray();
    Buf.patch32(info, 0, info.length - 4);
    Buf.patch32(info, typeFix1, intDie);
    Buf.patch32(info, typeFix2, intDie);
    Buf.patch32(info, typeFix3, ptrDie);
    info[nextFix] = (byte) (0x80 | (ptrDie & 0x7f));
    info[nextFix + 1] = (byte) (ptrDie >> 7);
    Map<String, byte[]> m = new HashMap<>();
    m.put(".debug_info", info);
    m.put(".debug_abbrev", ab.toArray());
    m.put(".debug_str", str.toArray());
    m.put(".debug_line_str", lineStr.toArray());
    m.put(".debug_str_offsets", strOff.toArray());
    m.put(".debug_addr", addr.toArray());
    m.put(".debug_loclists", locBytes);
    m.put(".debug_rnglists", rngBytes);
    return m;
  }

  /**
   * A DWARF 4 unit in the 64-bit format: {@code func syn.g(x int)} at {@link #LOW} with x at
   * CFA+8, its name in .debug_str through an 8-byte DW_FORM_strp.
   */
  static Map<String, byte[]> v4Dwarf64() {
    Buf str = new Buf().cstr("").cstr("syn.g");
    Buf ab = new Buf();
    ab.uleb(1).uleb(Dw.TAG_COMPILE_UNIT).u8(1).uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING).uleb(0).uleb(0);
    ab.uleb(2).uleb(Dw.TAG_BASE_TYPE).u8(0).uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_BYTE_SIZE).uleb(Dw.FORM_DATA1).uleb(0).uleb(0);
    ab.uleb(3).uleb(Dw.TAG_SUBPROGRAM).u8(1).uleb(Dw.AT_NAME).uleb(Dw.FORM_STRP)
        .uleb(Dw.AT_LOW_PC).uleb(Dw.FORM_ADDR).uleb(Dw.AT_HIGH_PC).uleb(Dw.FORM_ADDR).uleb(0).uleb(0);
    ab.uleb(4).uleb(Dw.TAG_FORMAL_PARAMETER).u8(0).uleb(Dw.AT_NAME).uleb(Dw.FORM_STRING)
        .uleb(Dw.AT_TYPE).uleb(Dw.FORM_REF_ADDR).uleb(Dw.AT_LOCATION).uleb(Dw.FORM_BLOCK1).uleb(0).uleb(0);
    ab.uleb(0);
    Buf u = new Buf();
    u.u32(0xffffffffL).u64(0).u16(4).u64(0).u8(8);
    u.uleb(1).cstr("syn");
    int intDie = u.pos();
    u.uleb(2).cstr("int").u8(8);
    u.uleb(3).u64(1).u64(LOW).u64(LOW + 0x30);
    u.uleb(4).cstr("x").u64(intDie).u8(4).u8(0x9c).u8(0x11).u8(8).u8(0x22);
    u.u8(0).u8(0);
    byte[] info = u.toArray();
    long len = info.length - 12;
    for (int i = 0; i < 8; i++) {
      info[4 + i] = (byte) (len >> (8 * i));
    }
    return Map.of(".debug_info", info, ".debug_abbrev", ab.toArray(), ".debug_str", str.toArray());
  }
}
