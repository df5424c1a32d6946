package dev.gotrace.goelf.sites;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares one function's {@link FunctionSites} with objdump's listing of the same bytes and
 * accumulates counts and mismatches for a whole binary.
 */
final class OracleCheck {
  private static final Set<String> X86_RET = Set.of("ret", "retq", "retl", "retw", "lret", "lretq", "lretl");
  private static final Set<String> X86_JMP = Set.of("jmp", "jmpq", "jmpl");
  private static final Set<String> X86_CALL = Set.of("call", "callq", "calll");
  private static final int MAX_REPORTED = 25;
  private static final java.util.regex.Pattern SCALED_8 =
      java.util.regex.Pattern.compile("^\\*(0x[0-9a-f]+)?\\(%r\\w+,%r\\w+,8\\)$");

  private final boolean x86;
  final List<String> mismatches = new ArrayList<>();
  final Set<String> undecodableNames = new TreeSet<>();
  final Set<String> conditionalOut = new TreeSet<>();
  int functions;
  int instructions;
  int undecodable;
  int undecodableBothBad;
  int paddingBytes;
  int rets;
  int tailcalls;
  int indirect;
  int tables;
  int stackChecks;
  int tlsOffsets;
  int dataWords;

  OracleCheck(boolean x86) {
    this.x86 = x86;
  }

  void mismatch(Objdump.Function f, String what) {
    if (mismatches.size() < MAX_REPORTED) {
      mismatches.add(f.name() + " @0x" + Long.toHexString(f.start()) + ": " + what);
    } else if (mismatches.size() == MAX_REPORTED) {
      mismatches.add("...");
    }
  }

  void check(Objdump.Function f, FunctionSites s) {
    functions++;
    if (s.status() == SiteStatus.UNDECODABLE) {
      undecodable++;
      undecodableNames.add(f.name());
      if (f.lines().stream().anyMatch(l -> l.mnemonic().equals("(bad)") || l.mnemonic().equals(".inst"))
          || f.lines().stream().allMatch(l -> l.mnemonic().equals("udf") || l.mnemonic().equals("int3"))) {
        undecodableBothBad++;
      } else {
        mismatch(f, "undecodable but objdump decodes it: " + s.reason());
      }
      return;
    }
    long codeEnd = s.boundaries().codeEnd();
    TreeSet<Long> ours = s.boundaries().starts().boxed().collect(Collectors.toCollection(TreeSet::new));
    List<Objdump.Line> code = new ArrayList<>();
    for (Objdump.Line l : f.lines()) {
      if (l.address() >= codeEnd) {
        boolean pad = x86 ? l.mnemonic().equals("int3") : l.mnemonic().equals("udf");
        if (!pad) {
          mismatch(f, "objdump has " + l.mnemonic() + " at 0x" + Long.toHexString(l.address())
              + " in what we took for padding");
        }
        paddingBytes++;
      } else if (ours.contains(l.address())) {
        code.add(l);
      } else if (x86) {
        mismatch(f, "objdump starts an instruction at 0x" + Long.toHexString(l.address()));
        return;
      } else {
        dataWords++; // arm64 literal pool word
      }
    }
    if (code.size() != ours.size()) {
      mismatch(f, "we decode " + ours.size() + " instructions, objdump " + code.size());
      return;
    }
    instructions += code.size();
    compareExits(f, s, code);
    checkPrologue(f, s, code);
  }

  private void compareExits(Objdump.Function f, FunctionSites s, List<Objdump.Line> code) {
    Set<Long> ret = new TreeSet<>();
    Set<Long> tail = new TreeSet<>();
    Set<Long> ind = new TreeSet<>();
    for (Objdump.Line l : code) {
      if (isRet(l)) {
        ret.add(l.address());
      } else if (isJump(l)) {
        long t = l.target();
        if (t < 0) {
          ind.add(l.address());
        } else if (t < f.start() || t >= f.end()) {
          tail.add(l.address());
        }
      }
    }
    Set<Long> condOut = new TreeSet<>();
    for (Objdump.Line l : code) {
      if (isConditional(l) && l.target() >= 0 && (l.target() < f.start() || l.target() >= f.end())) {
        conditionalOut.add(f.name() + "@" + Long.toHexString(l.address()));
        condOut.add(l.address());
      }
    }
    if (!condOut.equals(sitesOf(s, ExitSite.Kind.CONDITIONAL_TAILCALL))) {
      mismatch(f, "conditional branches out of the function differ: objdump " + hex(condOut));
    }
    // Jump-table shape as objdump prints it: jmp *(%rcx,%rax,8) / ldr x27, [x1, x3, lsl #3]; br x27
    Set<Long> tableShaped = new TreeSet<>();
    for (int i = 1; i < code.size(); i++) {
      Objdump.Line l = code.get(i);
      Objdump.Line prev = code.get(i - 1);
      if (x86 ? isJump(l) && SCALED_8.matcher(l.operands()).find()
          : l.mnemonic().equals("br") && prev.mnemonic().equals("ldr")
              && prev.operands().endsWith("lsl #3]")) {
        tableShaped.add(l.address());
      }
    }
    Set<Long> ourTables = new TreeSet<>();
    s.jumpTables().forEach(t -> ourTables.add(t.jumpAddress()));
    if (!tableShaped.equals(ourTables)) {
      mismatch(f, "jump tables differ: objdump shapes " + hex(tableShaped) + ", ours " + hex(ourTables));
    }
    Set<Long> ourRet = sitesOf(s, ExitSite.Kind.RET);
    Set<Long> ourTail = sitesOf(s, ExitSite.Kind.TAILCALL);
    Set<Long> ourInd = sitesOf(s, ExitSite.Kind.INDIRECT);
    s.jumpTables().forEach(t -> ourInd.add(t.jumpAddress()));
    if (!ret.equals(ourRet)) {
      mismatch(f, "RET sites differ: objdump " + hex(ret) + ", ours " + hex(ourRet));
    }
    if (!tail.equals(ourTail)) {
      mismatch(f, "tail calls differ: objdump " + hex(tail) + ", ours " + hex(ourTail));
    }
    if (!ind.equals(ourInd)) {
      mismatch(f, "indirect jumps differ: objdump " + hex(ind) + ", ours " + hex(ourInd));
    }
    boolean anyExit = !ret.isEmpty() || !tail.isEmpty() || ind.size() > s.jumpTables().size()
        || !condOut.isEmpty();
    if (anyExit != (s.status() == SiteStatus.OK)) {
      mismatch(f, "status " + s.status() + " but objdump shows exits=" + anyExit);
    }
    rets += ret.size();
    tailcalls += tail.size();
    indirect += ourInd.size() - s.jumpTables().size();
    tables += s.jumpTables().size();
  }

  /**
   * Oracle for the prologue: the call to runtime.morestack* (named by objdump from the symbol
   * table), and the last conditional branch among the first instructions whose target reaches
   * that call through straight-line code. The probe entry must be the instruction after it.
   */
  private void checkPrologue(Objdump.Function f, FunctionSites s, List<Objdump.Line> code) {
    int call = -1;
    for (int i = 0; i < code.size(); i++) {
      if (isCall(code.get(i)) && code.get(i).targetSymbol().startsWith("runtime.morestack")) {
        call = i;
      }
    }
    long expected = f.start();
    if (call >= 0) {
      for (int i = 0; i < Math.min(PrologueFinder.MAX_PROLOGUE, code.size() - 1); i++) {
        Objdump.Line l = code.get(i);
        if (isConditional(l) && reachesStraight(code, l.target(), call)) {
          expected = code.get(i + 1).address();
        }
      }
    }
    long actual = s.probeEntry().orElse(-1);
    if (actual != expected) {
      mismatch(f, "probe entry 0x" + Long.toHexString(actual) + ", objdump says 0x" + Long.toHexString(expected));
    }
    if (s.stackCheck() != (expected != f.start())) {
      mismatch(f, "stackCheck=" + s.stackCheck());
    }
    if (s.stackCheck()) {
      stackChecks++;
    }
    if (s.tlsGOffset().isPresent()) {
      tlsOffsets++;
    }
  }

  private boolean reachesStraight(List<Objdump.Line> code, long target, int call) {
    for (int i = 0; i <= call; i++) {
      if (code.get(i).address() == target) {
        for (int k = i; k < call; k++) {
          if (isBranch(code.get(k))) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  boolean isRet(Objdump.Line l) {
    return x86 ? X86_RET.contains(l.mnemonic()) : l.mnemonic().startsWith("ret");
  }

  boolean isJump(Objdump.Line l) {
    return x86 ? X86_JMP.contains(l.mnemonic()) || l.mnemonic().startsWith("ljmp")
        : l.mnemonic().equals("b") || l.mnemonic().equals("br");
  }

  boolean isCall(Objdump.Line l) {
    return x86 ? X86_CALL.contains(l.mnemonic()) : l.mnemonic().equals("bl") || l.mnemonic().equals("blr");
  }

  boolean isConditional(Objdump.Line l) {
    String m = l.mnemonic();
    if (x86) {
      return m.startsWith("j") && !X86_JMP.contains(m) || m.startsWith("loop");
    }
    return m.startsWith("b.") || m.startsWith("cb") || m.startsWith("tb");
  }

  private boolean isBranch(Objdump.Line l) {
    return isRet(l) || isJump(l) || isCall(l) || isConditional(l);
  }

  private static Set<Long> sitesOf(FunctionSites s, ExitSite.Kind kind) {
    return s.exits().stream().filter(e -> e.kind() == kind).map(ExitSite::address)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String hex(Set<Long> s) {
    return s.stream().map(Long::toHexString).collect(Collectors.joining(",", "[", "]"));
  }

  String summary() {
    return String.format("%d functions, %d instructions matched objdump; %d RET, %d tail calls,"
            + " %d indirect exits, %d jump tables; %d stack checks, %d with TLS g offset;"
            + " %d undecodable (%d also bad in objdump); %d padding bytes, %d literal words",
        functions, instructions, rets, tailcalls, indirect, tables, stackChecks, tlsOffsets,
        undecodable, undecodableBothBad, paddingBytes, dataWords);
  }

}
