package dev.gotrace.core.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.dwarf.Subprogram;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Argument and result locations of real functions, checked against abi-internal.md's algorithm
 * worked by hand (register ABI) and ABI0's sequential layout (Go 1.15).
 */
class GoAbiTest {
  static FunctionLayout layout(Path bin, String fn) throws Exception {
    try (GoBinary b = GoBinary.open(bin)) {
      Subprogram sp = b.dwarf().orElseThrow().function(fn).orElseThrow();
      return AbiChoice.of(b).layout(sp);
    }
  }

  static List<String> where(List<ParamLayout> ps) {
    return ps.stream().map(p -> p.name() + "=" + p.describe()).toList();
  }

  @Test
  void prepareAnswerInRegistersInEveryRegisterAbiBuild() throws Exception {
    for (String series : List.of("go1.19", "go1.22", "go1.24")) {
      FunctionLayout l = layout(TestBinaries.get(series, "amd64", "default", "server").path(),
          "main.prepareAnswer");
      assertEquals(List.of("name=rax+rbx", "year=rcx", "status=rdi"), where(l.inputs()), series);
      assertEquals(List.of("rax+rbx"), l.results().stream().map(ParamLayout::describe).toList(), series);
    }
  }

  @Test
  void prepareAnswerOnTheStackInGo115() throws Exception {
    FunctionLayout l = layout(TestBinaries.get("go1.15", "amd64", "default", "server").path(),
        "main.prepareAnswer");
    assertEquals(List.of("name=8(SP)", "year=24(SP)", "status=32(SP)"), where(l.inputs()));
    assertEquals(List.of("40(SP)"), l.results().stream().map(ParamLayout::describe).toList());
  }

  @Test
  void manyArgsSpillsItsLastThreeToTheStack() throws Exception {
    FunctionLayout l = layout(TestBinaries.get("go1.24", "amd64", "default", "workload").path(),
        "main.manyArgs");
    assertEquals(List.of("a=rax", "b=rbx", "c=rcx", "d=rdi", "e=rsi", "f=r8", "g=r9", "h=r10", "i=r11",
        "j=8(SP)", "k=16(SP)", "l=24(SP)"), where(l.inputs()));
    // Registers restart for results; stack results would follow the pointer-aligned arguments.
    assertEquals(List.of("rax"), l.results().stream().map(ParamLayout::describe).toList());
  }

  @Test
  void everyShapeOfTheWorkload() throws Exception {
    Path w = TestBinaries.get("go1.24", "amd64", "default", "workload").path();
    assertEquals(List.of("b=rax+rbx+rcx"), where(layout(w, "main.withBytes").inputs()));
    assertEquals(List.of("p=rax+rbx"), where(layout(w, "main.withStruct").inputs()));
    assertEquals(List.of("rax+rbx"), layout(w, "main.withStruct").results().stream()
        .map(ParamLayout::describe).toList());
    assertEquals(List.of("p=rax"), where(layout(w, "main.withPointer").inputs()));
    assertEquals(List.of("v=rax+rbx"), where(layout(w, "main.withInterface").inputs()));
    assertEquals(List.of("fail=rax"), where(layout(w, "main.withError").inputs()));
    assertEquals(List.of("rax+rbx"), layout(w, "main.withError").results().stream()
        .map(ParamLayout::describe).toList());
    FunctionLayout f = layout(w, "main.withFloat");
    assertEquals(List.of("x=x0"), where(f.inputs()));
    assertTrue(f.inputs().get(0).inFloatRegister());
    FunctionLayout m = layout(w, "main.multiResult");
    assertEquals(List.of("a=rax", "s=rbx+rcx"), where(m.inputs()));
    assertEquals(List.of("rax", "rbx+rcx", "rdi+rsi"), m.results().stream().map(ParamLayout::describe).toList());
  }

  @Test
  void shapedGenericsTakeTheirDictionaryFirst() throws Exception {
    Path w = TestBinaries.get("go1.24", "amd64", "default", "workload").path();
    assertEquals(List.of("xs=rbx+rcx+rdi", "f=rsi"), where(layout(w, "main.Map[go.shape.int,go.shape.string]").inputs()));
    assertEquals(List.of("rax+rbx+rcx"), layout(w, "main.Map[go.shape.int,go.shape.string]").results().stream()
        .map(ParamLayout::describe).toList());
  }

  /** DWARF register numbers of amd64 (System V psABI figure 3.36) as gotrace names them. */
  static final List<String> DWARF_REGS = List.of("rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
      "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");

  /** What DWARF says a parameter is at the function's entry, in describe() form; empty when it does not say. */
  static java.util.Optional<String> dwarfPlace(dev.gotrace.goelf.dwarf.Param p, long pc) {
    java.util.Optional<dev.gotrace.goelf.dwarf.Place> at = p.placeAt(pc);
    if (at.isEmpty()) {
      return java.util.Optional.empty();
    }
    List<dev.gotrace.goelf.dwarf.Place> parts = new java.util.ArrayList<>();
    if (at.get() instanceof dev.gotrace.goelf.dwarf.Place.Pieces ps) {
      for (dev.gotrace.goelf.dwarf.Place.Piece piece : ps.pieces()) {
        if (piece.place().isEmpty()) {
          return java.util.Optional.empty();
        }
        parts.add(piece.place().get());
      }
    } else {
      parts.add(at.get());
    }
    List<String> names = new java.util.ArrayList<>();
    for (dev.gotrace.goelf.dwarf.Place pl : parts) {
      if (pl instanceof dev.gotrace.goelf.dwarf.Place.Register r && r.dwarfRegister() < DWARF_REGS.size()) {
        names.add(DWARF_REGS.get(r.dwarfRegister()));
      } else if (pl instanceof dev.gotrace.goelf.dwarf.Place.Register r && r.dwarfRegister() >= 17
          && r.dwarfRegister() <= 32) {
        names.add("x" + (r.dwarfRegister() - 17));
      } else if (pl instanceof dev.gotrace.goelf.dwarf.Place.CfaOffset c && parts.size() == 1) {
        // CFA = SP before the call = SP at entry + 8 (the return address).
        names.add((c.offset() + 8) + "(SP)");
      } else {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.of(String.join("+", names));
  }

  /**
   * Oracle: the compiler's own DWARF location lists at each function's entry agree with the
   * assignment computed from the types, for every main-package parameter they describe, in the
   * register-ABI builds. (Go 1.15's stack-ABI lists are left out: for some parameters they say CFA+8
   * where the value is at CFA+0, e.g. main.withString's s, read live at 8(SP) by ArgsLiveTest.)
   */
  @Test
  void agreesWithTheCompilersLocationListsAtEntry() throws Exception {
    int compared = 0;
    for (TestBinary t : TestBinaries.where(t -> t.arch().equals("amd64") && t.variant().equals("default")
        && !t.program().equals("cgo") && t.goMinor() >= 17)) {
      try (GoBinary b = GoBinary.open(t.path())) {
        GoAbi abi = AbiChoice.of(b);
        for (Subprogram sp : b.dwarf().orElseThrow().functions()) {
          if (!sp.name().startsWith("main.")) {
            continue;
          }
          FunctionLayout l = abi.layout(sp);
          List<dev.gotrace.goelf.dwarf.Param> ins = sp.inputs();
          for (int i = 0; i < ins.size(); i++) {
            // Go 1.27 describes an unused generic dictionary by one expression for the whole
            // function, its spill slot (DW_OP_call_frame_cfa), which the register ABI never
            // writes at entry: that is where it would live, not where it is at the first pc.
            if (ins.get(i).name().equals(".dict")
                && ins.get(i).location().orElse(null) instanceof dev.gotrace.goelf.dwarf.Location.Expr) {
              continue;
            }
            java.util.Optional<String> d = dwarfPlace(ins.get(i), sp.lowPc());
            if (d.isPresent()) {
              assertEquals(ins.get(i).name(), l.inputs().get(i).name());
              assertEquals(d.get(), l.inputs().get(i).describe(), t.label() + " " + sp.name() + " " + ins.get(i).name());
              compared++;
            }
          }
        }
      }
    }
    System.out.println("parameters compared with DWARF location lists: " + compared);
    assertTrue(compared > 100, "compared " + compared);
  }

  @Test
  void stackAbiPutsResultsAfterPointerAlignedArguments() throws Exception {
    Path w = TestBinaries.get("go1.15", "amd64", "default", "workload").path();
    FunctionLayout m = layout(w, "main.multiResult");
    assertEquals(List.of("a=8(SP)", "s=16(SP)"), where(m.inputs()));
    assertEquals(List.of("32(SP)", "40(SP)", "56(SP)"), m.results().stream().map(ParamLayout::describe).toList());
    FunctionLayout b = layout(w, "main.withBool");
    assertEquals(List.of("b=8(SP)"), where(b.inputs()));
    assertEquals(List.of("16(SP)"), b.results().stream().map(ParamLayout::describe).toList());
    assertEquals(List.of("x=8(SP)"), where(layout(w, "main.withFloat").inputs()));
  }

  @Test
  void registerAbiFromTheBinarysVersion() throws Exception {
    for (TestBinary t : TestBinaries.where(t -> t.arch().equals("amd64") && t.variant().equals("default"))) {
      try (GoBinary b = GoBinary.open(t.path())) {
        assertEquals(t.goMinor() >= 17, AbiChoice.of(b).usesRegisters(), t.label());
      }
    }
  }
}
