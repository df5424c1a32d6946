package dev.gotrace.core.plan;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.lines.LineResolution;
import dev.gotrace.goelf.lines.LineResolver;
import dev.gotrace.goelf.lines.LineSite;
import dev.gotrace.goelf.lines.LineTarget;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves the line targets among a command's patterns ({@link LineTarget}: {@code FILE.go:N},
 * {@code FUNC+N}) to their probes, one per copy of the line's code, or refuses: a suffix that names
 * several files ({@link PlanException.AmbiguousFile}), a file, function or line without code
 * ({@link PlanException.NoLine}, naming the nearby lines that have code).
 */
public final class LinePlanner {
  /** Lines with code named on each side of a line without. */
  static final int NEARBY = 3;

  private LinePlanner() {}

  /** The patterns that are line targets, parsed (a bad line number: IllegalArgumentException). */
  public static List<LineTarget> targets(List<NamePattern> patterns) {
    List<LineTarget> out = new ArrayList<>();
    for (NamePattern p : patterns) {
      LineTarget.parse(p.text()).ifPresent(out::add);
    }
    return out;
  }

  /** The patterns that are not line targets. */
  public static List<NamePattern> functionPatterns(List<NamePattern> patterns) {
    return patterns.stream().filter(p -> !LineTarget.isLine(p.text())).toList();
  }

  /** The probes of every target, target by target, each target's copies by address. */
  public static List<LineProbe> probes(GoBinary bin, List<LineTarget> targets) throws GoBinaryException {
    List<LineProbe> out = new ArrayList<>();
    LineResolver resolver = new LineResolver(bin);
    String binary = bin.path().getFileName().toString();
    for (LineTarget t : targets) {
      LineResolution r;
      int line;
      if (t instanceof LineTarget.FileLine fl) {
        line = fl.line();
        r = resolver.resolve(fl);
        if (r.files().isEmpty()) {
          throw new PlanException.NoLine("no source file of " + binary + " ends in " + fl.suffix(),
              "name a file the binary records by a suffix of whole path components (main.go:N, pkg/file.go:N);"
                  + " 'gotrace list " + binary + "' shows each function's file");
        }
        if (r.files().size() > 1) {
          throw new PlanException.AmbiguousFile(t.text(), r.files());
        }
      } else {
        LineTarget.FuncLine fn = (LineTarget.FuncLine) t;
        GoFunc f = function(bin, fn);
        if (f.startLine() == 0 && !bin.tracedSites(f).stackCheck()) {
          // Before Go 1.20 the pclntab has no declaration line: the entry's line is the func
          // line only where a stack check (which carries that line) comes first.
          throw new PlanException.NoLine(t.text() + ": the binary does not record the line of " + f.name()
              + "'s func keyword (Go before 1.20, and the function has no stack check)",
              "name the line as FILE.go:N (" + LineProbe.shortFile(f.file()) + " holds " + f.name() + ")");
        }
        line = f.declLine() + fn.offset();
        r = resolver.resolve(f.file()::equals, line);
      }
      if (r.sites().isEmpty()) {
        List<Integer> near = r.nearby(line, NEARBY);
        String file = r.files().isEmpty() ? t.text() : LineProbe.shortFile(r.files().get(0)) + ":" + line;
        throw new PlanException.NoLine(t.text() + (t instanceof LineTarget.FuncLine ? " (" + file + ")" : "")
            + " has no code" + (near.isEmpty() ? "" : "; nearby lines with code: "
                + String.join(", ", near.stream().map(String::valueOf).toList())),
            "pick a line that has code: the compiler emits none for comments, declarations and code it removed");
      }
      int k = 1;
      for (LineSite s : r.sites()) {
        out.add(new LineProbe(t.text(), s, k++, r.sites().size()));
      }
    }
    return out;
  }

  /** The function of {@code FUNC+N}: the first with a body of that exact name. */
  private static GoFunc function(GoBinary bin, LineTarget.FuncLine t) throws GoBinaryException {
    List<GoFunc> fs = bin.functions(NamePattern.parse(t.function()));
    Optional<GoFunc> f = fs.stream().filter(g -> !g.file().isEmpty() && g.declLine() > 0).findFirst();
    if (f.isPresent()) {
      return f.get();
    }
    if (bin.inlinedFunctionNames().contains(t.function())) {
      throw new PlanException.NoLine(t.function() + " has no code of its own (every call was inlined), so "
          + t.text() + " cannot be counted from its declaration",
          "name the line as FILE.go:N: every inlined copy of it is probed");
    }
    throw new PlanException.NoMatch(bin.path().toString(), t.function(), List.of());
  }
}
