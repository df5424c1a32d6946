package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.TestBinaries;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code gotrace args} plans to read, for functions without Go parameters in DWARF. */
class ArgsPlannerTest {
  static ArgsPlan plan(String series, String program, String pattern) throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.get(series, "amd64", "default", program).path())) {
      return new ArgsPlanner(new Planner(Planner.DEFAULT_MAX_SITES), ArgsPlanner.DEFAULT_STRSIZE, true)
          .plan(b, List.of(NamePattern.parse(pattern)));
    }
  }

  static List<String> where(List<ParamLayout> ps) {
    return ps.stream().map(p -> p.name() + "=" + p.describe()).toList();
  }

  @Test
  void abi0AssemblyShowsTheWordsOfItsStackArgumentArea() throws Exception {
    // crypto/md5.block(dig *digest, p []byte): $0-32 in md5block_amd64.s, ABI0 in every version.
    for (String series : List.of("go1.15", "go1.24")) {
      ArgsPlan p = plan(series, "server", "crypto/md5.block");
      ArgsPlan.FunctionArgs f = p.functions().get(0);
      assertFalse(f.typed());
      assertEquals(List.of("arg0=8(SP)", "arg1=16(SP)", "arg2=24(SP)", "arg3=32(SP)"), where(f.inputs()), series);
      assertEquals(List.of(), f.results());
      assertTrue(p.notes().contains(new Note.Abi0Assembly(List.of("crypto/md5.block"))), p.notes().toString());
    }
  }

  @Test
  void runtimeAssemblyMayBeAbiInternalAndKeepsRegisterWords() throws Exception {
    ArgsPlan p = plan("go1.24", "server", "runtime.memmove");
    ArgsPlan.FunctionArgs f = p.functions().get(0);
    assertFalse(f.typed());
    assertEquals("arg0=rax", where(f.inputs()).get(0));
    assertTrue(p.notes().contains(new Note.MaybeAbiInternal("runtime.memmove")), p.notes().toString());
  }

  @Test
  void packagesWhoseAssemblyMayUseTheRegisterAbi() {
    assertTrue(ArgsPlanner.mayUseAbiInternal("runtime.memmove"));
    assertTrue(ArgsPlanner.mayUseAbiInternal("internal/bytealg.IndexByteString"));
    assertTrue(ArgsPlanner.mayUseAbiInternal("syscall.rawVforkSyscall"));
    assertFalse(ArgsPlanner.mayUseAbiInternal("crypto/md5.block"));
    assertFalse(ArgsPlanner.mayUseAbiInternal("crypto/internal/fips140/sha256.blockAVX2"));
    assertFalse(ArgsPlanner.mayUseAbiInternal("main.(*T).M"));
    assertEquals("crypto/sha256", ArgsPlanner.packageOf("crypto/sha256.block"));
    assertEquals("main", ArgsPlanner.packageOf("main.(*T).M"));
  }

  @Test
  void inlinedCopiesTakeTheirParametersFromDwarfAtTheirFirstInstruction() throws Exception {
    ArgsPlan p = plan("go1.24", "workload", "main.(*counter).hit");
    assertTrue(p.functions().size() >= 20, p.functions().toString());
    for (ArgsPlan.FunctionArgs f : p.functions()) {
      assertTrue(f.typed() && f.inlinedInto().startsWith("main."), f.toString());
      assertEquals(1, f.inputs().size());
      ParamLayout c = f.inputs().get(0);
      assertEquals("c", c.name());
      assertTrue(c.located(), f.toString());
    }
    assertTrue(p.blocks().stream().allMatch(b -> b.kind() == ArgsPlan.Kind.INLINED));
    assertTrue(p.notes().stream().anyMatch(n -> n instanceof Note.InlinedCopies c && c.located() == c.probed()),
        p.notes().toString());
  }

  @Test
  void inlinedCopiesOfAStrippedBuildHaveNoArguments() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.get("go1.24", "amd64", "stripped", "workload").path())) {
      ArgsPlan p = new ArgsPlanner(new Planner(Planner.DEFAULT_MAX_SITES), ArgsPlanner.DEFAULT_STRSIZE)
          .plan(b, List.of(NamePattern.parse("main.add")));
      assertEquals(2, p.functions().size());
      assertTrue(p.functions().stream().noneMatch(ArgsPlan.FunctionArgs::typed));
      assertTrue(p.notes().stream().anyMatch(n -> n instanceof Note.InlinedCopies c && c.located() == 0),
          p.notes().toString());
    }
  }

  static ArgsPlan stripped(String series, String... patterns) throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.get(series, "amd64", "stripped", "workload").path())) {
      return new ArgsPlanner(new Planner(Planner.DEFAULT_MAX_SITES), ArgsPlanner.DEFAULT_STRSIZE)
          .plan(b, java.util.Arrays.stream(patterns).map(NamePattern::parse).toList());
    }
  }

  static List<String> inputs(ArgsPlan p, String function) {
    return where(p.functions().stream().filter(f -> f.function().equals(function)).findFirst().orElseThrow().inputs());
  }

  /**
   * Without DWARF, the register ABI reads one integer register per component the pclntab's
   * argument info lists (the sizes as listed; a generic function's dictionary first), the stack
   * ABI the args size's words from 8(SP).
   */
  @Test
  void strippedBuildsReadAsManyWordsAsThePclntabSays() throws Exception {
    for (String series : List.of("go1.19", "go1.24", "go1.27")) {
      ArgsPlan p = stripped(series, "main.multiResult", "main.withBool", "main.manyArgs", "main.main", "main.Map*",
          "main.(*Counter).Inc");
      assertEquals(List.of("arg0=rax", "arg1=rbx", "arg2=rcx"), inputs(p, "main.multiResult"), series);
      assertEquals(List.of("arg0=rax"), inputs(p, "main.withBool"), series);
      assertEquals(1, p.functions().stream().filter(f -> f.function().equals("main.withBool")).findFirst()
          .orElseThrow().inputs().get(0).size(), "a bool: one byte of RAX");
      assertEquals(9, inputs(p, "main.manyArgs").size(), series);
      assertEquals(List.of(), inputs(p, "main.main"), "no parameters, no argument info");
      assertEquals(List.of("arg0=rax", "arg1=rbx"), inputs(p, "main.(*Counter).Inc"), "receiver, by");
      String map = p.functions().stream().map(ArgsPlan.FunctionArgs::function).filter(f -> f.startsWith("main.Map["))
          .findFirst().orElseThrow();
      assertEquals(List.of("arg0=rbx", "arg1=rcx", "arg2=rdi", "arg3=rsi"), inputs(p, map), "after the dictionary in RAX");
      assertTrue(p.notes().contains(new Note.RawWordsCut("main.manyArgs", 9, 10, true)), p.notes().toString());
    }
    ArgsPlan old = stripped("go1.15", "main.multiResult", "main.manyArgs");
    assertEquals(List.of("arg0=8(SP)", "arg1=16(SP)", "arg2=24(SP)", "arg3=32(SP)", "arg4=40(SP)", "arg5=48(SP)",
        "arg6=56(SP)", "arg7=64(SP)"), inputs(old, "main.multiResult"), "args size 64: 3 argument and 5 result words");
    assertEquals(10, inputs(old, "main.manyArgs").size());
    assertTrue(old.notes().contains(new Note.RawWordsCut("main.manyArgs", 10, 13, false)), old.notes().toString());
  }
}
