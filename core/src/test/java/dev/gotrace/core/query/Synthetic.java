package dev.gotrace.core.query;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.abi.Piece;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.dwarf.GoType;
import dev.gotrace.goelf.dwarf.TypeTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A synthetic function with a parameter of every kind, in registers and on the stack, and a
 * struct type that points to itself, for the differential tests:
 * {@code f(a int, b int32, c uint8, d bool, s string, p *T, e error, f float64, g float32,
 * u uint64, t string, xs []int, q *T, h int16, k int8, w uint32) (r0 int, r1 string, r2 error, r3 bool)}
 * with {@code type T struct { X int32; Y int64; Name string; F float64; Next *T; Ok bool; U uint16;
 * I8 int8; Inner }} and {@code type Inner struct { Depth uint32 }}.
 */
final class Synthetic {
  static final TypeTable TYPES = new TypeTable();
  static final GoType INT = base("int", 8, 2, 5);
  static final GoType INT8 = base("int8", 1, 3, 5);
  static final GoType INT16 = base("int16", 2, 4, 5);
  static final GoType INT32 = base("int32", 4, 5, 5);
  static final GoType INT64 = base("int64", 8, 6, 5);
  static final GoType UINT8 = base("uint8", 1, 8, 8);
  static final GoType UINT16 = base("uint16", 2, 9, 7);
  static final GoType UINT32 = base("uint32", 4, 10, 7);
  static final GoType UINT64 = base("uint64", 8, 11, 7);
  static final GoType BOOL = base("bool", 1, 1, 2);
  static final GoType F32 = base("float32", 4, 13, 4);
  static final GoType F64 = base("float64", 8, 14, 4);
  static final GoType STRING = new GoType.GoString("string", 16, 24, List.of());
  static final GoType ERROR = new GoType.Interface("error", 16, 20, false, Optional.empty());
  static final GoType INTS = new GoType.Slice("[]int", 24, 23, TYPES.add(INT), List.of());
  static final GoType INNER = new GoType.Struct("main.Inner", 4, 25,
      List.of(new GoType.Field("Depth", 0, TYPES.add(UINT32), false)));
  static final long T_ID = TYPES.reserve();
  static final GoType PT = new GoType.Pointer("*main.T", 8, 22, Optional.of(TYPES.ref(T_ID)));
  static final GoType T;

  static {
    T = new GoType.Struct("main.T", 64, 25, List.of(
        field("X", 0, INT32), field("Y", 8, INT64), field("Name", 16, STRING), field("F", 32, F64),
        field("Next", 40, PT), field("Ok", 48, BOOL), field("U", 50, UINT16), field("I8", 52, INT8),
        new GoType.Field("Inner", 56, TYPES.add(INNER), true)));
    TYPES.put(T_ID, T);
  }

  static final List<ParamLayout> INPUTS = List.of(
      reg("a", INT, "rax"), reg("b", INT32, "rbx"), reg("c", UINT8, "rcx"), reg("d", BOOL, "rdi"),
      new ParamLayout("s", STRING, false, 16, List.of(new Piece(0, 8, rg("rsi")), new Piece(8, 8, rg("r8")))),
      reg("p", PT, "r9"),
      new ParamLayout("e", ERROR, false, 16, List.of(new Piece(0, 8, rg("r10")), new Piece(8, 8, rg("r11")))),
      stack("f", F64, 8), stack("g", F32, 16), stack("u", UINT64, 24), stack("t", STRING, 32),
      stack("xs", INTS, 48), stack("q", PT, 72), stack("h", INT16, 80), stack("k", INT8, 88),
      stack("w", UINT32, 96));
  static final List<ParamLayout> RESULTS = List.of(result("r0", INT, 104), result("r1", STRING, 112),
      result("r2", ERROR, 128), result("r3", BOOL, 144));
  static final Scope SCOPE = Scope.typed("main.f", Arch.AMD64, INPUTS, RESULTS);

  private Synthetic() {}

  static GoType base(String name, long size, int kind, int encoding) {
    return new GoType.Base(name, size, kind, encoding);
  }

  static GoType.Field field(String name, long offset, GoType t) {
    return new GoType.Field(name, offset, TYPES.add(t), false);
  }

  static ArgLocation rg(String name) {
    return ArgLocation.InRegister.of(Arch.AMD64, name);
  }

  static ParamLayout reg(String name, GoType t, String register) {
    return new ParamLayout(name, t, false, t.size(), List.of(new Piece(0, (int) t.size(), rg(register))));
  }

  static ParamLayout stack(String name, GoType t, long sp) {
    return new ParamLayout(name, t, false, t.size(), List.of(new Piece(0, (int) t.size(), new ArgLocation.Stack(sp))));
  }

  static ParamLayout result(String name, GoType t, long sp) {
    return new ParamLayout(name, t, true, t.size(), List.of(new Piece(0, (int) t.size(), new ArgLocation.Stack(sp))));
  }

  static ParamLayout param(String name) {
    List<ParamLayout> all = new ArrayList<>(INPUTS);
    all.addAll(RESULTS);
    return all.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }
}
