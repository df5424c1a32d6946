package dev.gotrace.core.query;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.abi.Piece;
import dev.gotrace.core.expr.Expr;
import dev.gotrace.core.plan.Suggestions;
import dev.gotrace.goelf.dwarf.GoType;
import dev.gotrace.goelf.dwarf.PackageVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resolves a path ({@code r.URL.Path}, {@code arg1:int}) in a {@link Scope} into an {@link
 * Access}: the root parameter, then each field through structs, and through pointers to structs
 * (a pointer read each), with the final type. Refusals are {@link QueryException}s at the path's
 * column.
 */
final class Resolver {
  private static final int DW_ATE_BOOLEAN = 2, DW_ATE_FLOAT = 4, DW_ATE_SIGNED = 5, DW_ATE_UNSIGNED = 7,
      DW_ATE_ADDRESS = 1, DW_ATE_UNSIGNED_CHAR = 8, DW_ATE_SIGNED_CHAR = 6;
  private static final Pattern PACKAGE_PATH = Pattern.compile("[A-Za-z0-9_.\\-~]+/");

  private final Scope scope;
  private final String text;
  private final boolean exitsAllowed;

  Resolver(Scope scope, String text, boolean exitsAllowed) {
    this.scope = scope;
    this.text = text;
    this.exitsAllowed = exitsAllowed;
  }

  QueryException fail(int at, String problem) {
    return new QueryException(text, at, problem);
  }

  QueryException fail(int at, String problem, String hint) {
    return new QueryException(text, at, problem, Optional.of(hint));
  }

  /** "r.URL.Path" of a path, with a positional root's type. */
  static String textOf(Expr.Path p) {
    return p.root() + p.fields().stream().map(f -> "." + f).reduce("", String::concat)
        + p.type().map(t -> ":" + t).orElse("");
  }

  Access resolve(Expr.Path p) {
    Optional<ParamLayout> global = global(p);
    ParamLayout root = global.isPresent() ? global.get() : root(p);
    if (root.result() && !exitsAllowed) {
      throw fail(p.at(), (p.position().isPresent() ? p.root() : "result " + p.root()) + " of " + scope.function()
          + " is known only when it returns; this command decides at the entry",
          "results are for latency and top, which see returns");
    }
    if (!root.located()) {
      throw fail(p.at(), root.name() + " of " + scope.function() + " has no place at the "
          + (root.result() ? "return" : "entry") + " (DWARF gives none)");
    }
    GoType t = root.type();
    String path = global.isPresent() ? root.name() : p.root();
    long offset = 0;
    List<Long> hops = new ArrayList<>();
    for (String field : p.fields().subList(global.isPresent() ? 1 : 0, p.fields().size())) {
      GoType u = t.underlying();
      if (u instanceof GoType.Pointer ptr && ptr.elem().isPresent()
          && ptr.elem().get().get().underlying() instanceof GoType.Struct) {
        if (hops.size() == Access.MAX_POINTER_READS) {
          throw fail(p.at(), textOf(p) + " reads more than " + Access.MAX_POINTER_READS + " pointers (too deep)");
        }
        hops.add(0L);
        t = ptr.elem().get().get();
        u = t.underlying();
      }
      if (!(u instanceof GoType.Struct s)) {
        throw fail(p.at(), path + " is " + goName(t) + ", which has no field " + field);
      }
      Optional<Step> step = field(s, field);
      if (step.isEmpty()) {
        Optional<String> near = nearest(field, s);
        String problem = goName(ptrOf(t, hops)) + " has no field " + field;
        throw near.map(n -> fail(p.at(), problem + "; did you mean " + n + "?"))
            .orElseGet(() -> fail(p.at(), problem));
      }
      if (hops.isEmpty()) {
        offset += step.get().offset();
      } else {
        hops.set(hops.size() - 1, hops.get(hops.size() - 1) + step.get().offset());
      }
      t = step.get().type();
      path = path + "." + field;
    }
    Optional<VType> known = vtype(t);
    if (known.isEmpty()) {
      throw fail(p.at(), textOf(p) + " is " + kindName(t) + " " + goName(t)
          + ", which is not compared or keyed (use one of its fields)");
    }
    VType vt = known.get();
    // Without pointer reads the value's words are in the root; with, the first pointer is.
    requirePlaced(p, root, offset, hops.isEmpty() ? vt : new VType.Nilable(VType.NilKind.POINTER));
    return new Access(textOf(p), p.at(), root, offset, hops, vt, goName(t));
  }

  /**
   * A {@code --show} path: a package variable or a field of one (through structs, not pointers),
   * as a value of its own whose one piece is its memory, named as written.
   */
  ParamLayout shown(Expr.Path p) {
    Optional<ParamLayout> global = p.position().isPresent() || p.type().isPresent() ? Optional.empty() : global(p);
    if (global.isEmpty() && !scope.globals().available()) {
      throw fail(p.at(), textOf(p) + ": package variables need DWARF, which this binary has not",
          "use a binary built without -s -w (or its debug file)");
    }
    if (global.isEmpty()) {
      throw fail(p.at(), textOf(p) + " is not a package variable of this binary",
          "--show takes package variables: pkg.name or pkg.name.Field");
    }
    ParamLayout root = global.get();
    ArgLocation.Static at = (ArgLocation.Static) root.pieces().get(0).where();
    GoType t = root.type();
    long offset = 0;
    String path = root.name();
    for (String field : p.fields().subList(1, p.fields().size())) {
      if (!(t.underlying() instanceof GoType.Struct s)) {
        throw fail(p.at(), path + " is " + goName(t) + (t.underlying() instanceof GoType.Pointer
            ? ": --show does not follow pointers" : ", which has no field " + field), "show " + path + " itself");
      }
      Optional<Step> step = field(s, field);
      if (step.isEmpty()) {
        throw fail(p.at(), goName(t) + " has no field " + field);
      }
      offset += step.get().offset();
      t = step.get().type();
      path = path + "." + field;
    }
    long size = Math.max(t.size(), 0);
    List<Piece> pieces = size == 0 ? List.of()
        : List.of(new Piece(0, (int) size, new ArgLocation.Static(at.address() + offset, at.site())));
    return new ParamLayout(textOf(p), t, false, size, pieces);
  }

  /** The type as a message names it when reached through a pointer ("*http.Request"). */
  private static GoType ptrOf(GoType t, List<Long> hops) {
    return hops.isEmpty() ? t : new GoType.Pointer("*" + t.name(), 8, 22, Optional.empty());
  }

  private record Step(long offset, GoType type) {}

  /** A field by name, or one of an embedded struct's (one level, as cheap as it is common). */
  private static Optional<Step> field(GoType.Struct s, String name) {
    for (GoType.Field f : s.fields()) {
      if (f.name().equals(name)) {
        return Optional.of(new Step(f.offset(), f.type().get()));
      }
    }
    for (GoType.Field f : s.fields()) {
      if (f.embedded() && f.type().get().underlying() instanceof GoType.Struct inner) {
        for (GoType.Field g : inner.fields()) {
          if (g.name().equals(name)) {
            return Optional.of(new Step(f.offset() + g.offset(), g.type().get()));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> nearest(String name, GoType.Struct s) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (GoType.Field f : s.fields()) {
      int d = f.name().equalsIgnoreCase(name) ? 0 : Suggestions.distance(name, f.name(), 2);
      if (d <= 2 && d < bestD) {
        best = f.name();
        bestD = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The package variable a path starts at: {@code pkg.name...} where {@code pkg} is no parameter
   * of the function (parameters never contain '.') and names a package of the binary. Its one
   * piece is the variable's memory ({@link ArgLocation.Static}).
   */
  private Optional<ParamLayout> global(Expr.Path p) {
    if (p.position().isPresent() || p.type().isPresent() || p.fields().isEmpty() || scope.named(p.root()).isPresent()) {
      return Optional.empty();
    }
    Globals g = scope.globals();
    List<String> packages;
    try {
      if (!g.available()) {
        return Optional.empty();
      }
      packages = g.packagesNamed(p.root());
    } catch (Globals.Unreadable e) {
      throw fail(p.at(), "the package variables cannot be read: " + e.getMessage());
    }
    if (packages.isEmpty()) {
      return Optional.empty();
    }
    if (packages.size() > 1) {
      throw fail(p.at(), p.root() + " names " + packages.size() + " packages (" + String.join(", ", packages)
          + "); package variables are named by the last element of their package's path");
    }
    String pkg = packages.get(0);
    String name = p.fields().get(0);
    Optional<PackageVariable> v;
    try {
      v = g.variable(pkg, name);
    } catch (Globals.Unreadable e) {
      throw fail(p.at(), "the package variables cannot be read: " + e.getMessage());
    }
    if (v.isEmpty()) {
      List<String> names = g.variables(pkg).stream().map(x -> x.shortName()).toList();
      Optional<String> near = names.stream().filter(n -> Suggestions.distance(name, n, 2) <= 2).findFirst();
      String problem = "package " + pkg + " has no variable " + name;
      throw near.map(n -> fail(p.at(), problem, "did you mean " + p.root() + "." + n + "?"))
          .orElseGet(() -> fail(p.at(), problem));
    }
    if (v.get().address().isEmpty()) {
      throw fail(p.at(), v.get().name() + " has no address in DWARF or the symbol table");
    }
    OptionalLong site = OptionalLong.empty();
    if (g.pie()) {
      if (scope.site().isEmpty()) {
        throw fail(p.at(), "in a position-independent binary a package variable is read at a probe whose "
            + "link address gives the load bias; this probe of " + scope.function() + " has none");
      }
      site = scope.site();
    }
    GoType t = v.get().type();
    long size = Math.max(t.size(), 0);
    List<Piece> pieces = size == 0 ? List.of()
        : List.of(new Piece(0, (int) size, new ArgLocation.Static(v.get().address().getAsLong(), site)));
    return Optional.of(new ParamLayout(p.root() + "." + name, t, false, size, pieces));
  }

  private ParamLayout root(Expr.Path p) {
    Optional<Integer> pos = p.position();
    if (!scope.typed()) {
      if (pos.isEmpty()) {
        throw fail(p.at(), p.root() + ": a named access needs DWARF, which " + scope.function() + "'s binary has not"
            + (p.fields().isEmpty() ? "" : " (package variables too)"),
            p.fields().isEmpty() ? "use a positional typed root like arg1:int"
                : "use a positional typed root like arg1:int; package variables need a binary built without -s -w");
      }
      if (p.type().isEmpty()) {
        throw fail(p.at(), p.root() + " needs a type without DWARF", "write " + p.root() + ":int (or another Go type)");
      }
      if (!p.fields().isEmpty()) {
        throw fail(p.at(), "fields need DWARF (" + textOf(p) + ")");
      }
      return positional(p, pos.get(), p.type().get());
    }
    if (pos.isPresent()) {
      List<ParamLayout> list = p.result() ? scope.results() : scope.inputs();
      if (pos.get() >= list.size()) {
        String what = p.result() ? "result" : "argument";
        throw fail(p.at(), scope.function() + " has " + list.size() + " " + what + (list.size() == 1 ? "" : "s")
            + (list.isEmpty() ? "" : " (" + names(list, p.result() ? "ret" : "arg") + ")") + "; no " + p.root());
      }
      ParamLayout r = list.get(pos.get());
      if (p.type().isPresent() && !sameType(p.type().get(), r.type())) {
        throw fail(p.at(), p.root() + " of " + scope.function() + " is " + displayName(r) + " " + goName(r.type())
            + ", not " + p.type().get());
      }
      return r;
    }
    Optional<ParamLayout> named = scope.named(p.root());
    if (named.isPresent()) {
      return named.get();
    }
    List<String> have = scope.inputs().stream().map(ParamLayout::name).toList();
    String problem = scope.function() + " has no parameter " + p.root() + "; "
        + (have.isEmpty() ? "it has none" : "it has " + String.join(", ", have));
    Optional<String> near = Stream.concat(scope.inputs().stream(), scope.results().stream())
        .map(ParamLayout::name).filter(n -> !n.startsWith("~"))
        .filter(n -> Suggestions.distance(p.root(), n, 2) <= 2).findFirst();
    throw near.map(n -> fail(p.at(), problem, "did you mean " + n + "?")).orElseGet(() -> fail(p.at(), problem));
  }

  private static String displayName(ParamLayout p) {
    return p.name().startsWith("~") ? "unnamed" : p.name();
  }

  private static String names(List<ParamLayout> list, String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String n = list.get(i).name();
      out.add(prefix + i + (n.startsWith("~") ? "" : " " + n));
    }
    return String.join(", ", out);
  }

  private static boolean sameType(String given, GoType t) {
    String n = goName(t);
    return n.equals(given) || (given.equals("byte") && n.equals("uint8")) || (given.equals("rune") && n.equals("int32"))
        || vtype(t).equals(vtype(positionalType(given)));
  }

  /** A root placed by the ABI alone: {@code argN:T} or {@code retN:T}. */
  private ParamLayout positional(Expr.Path p, int index, String type) {
    GoType t = positionalType(type);
    VType vt = vtype(t).orElseThrow();
    Scope.Positional where = scope.positional();
    List<Piece> pieces;
    if (p.result()) {
      if (!exitsAllowed) {
        throw fail(p.at(), p.root() + " of " + scope.function() + " is known only when it returns; this command decides at the entry");
      }
      if (index != 0 || where.resultRegisters().isEmpty()) {
        throw fail(p.at(), "without DWARF only ret0 is placed, and only in the register ABI (Go 1.17+ on amd64)");
      }
      pieces = new ArrayList<>();
      int words = (int) ((t.size() + 7) / 8);
      if (words > where.resultRegisters().size()) {
        throw fail(p.at(), "ret0 of " + type + " does not fit the result registers");
      }
      for (int w = 0; w < words; w++) {
        pieces.add(new Piece(8L * w, (int) Math.min(8, t.size() - 8L * w),
            new ArgLocation.InRegister(where.resultRegisters().get(w))));
      }
    } else if (index < where.args().size()) {
      pieces = where.args().get(index);
      checkWords(p, t, pieces);
    } else if (index == 0 && where.stackStart().isPresent()) {
      pieces = List.of(new Piece(0, (int) t.size(), new ArgLocation.Stack(where.stackStart().getAsLong())));
    } else {
      throw fail(p.at(), p.root() + " cannot be placed without DWARF: " + where.limit());
    }
    if (vt instanceof VType.Float && pieces.stream().anyMatch(x -> x.where() instanceof ArgLocation.InRegister)) {
      throw fail(p.at(), p.root() + ":" + type + " is in a floating-point register, which a uprobe cannot read");
    }
    return new ParamLayout(p.root(), t, p.result(), t.size(), pieces);
  }

  /** The pclntab's components of an argument must be the words of the type the user gave it. */
  private void checkWords(Expr.Path p, GoType t, List<Piece> pieces) {
    long[] expect = t instanceof GoType.GoString ? new long[] {8, 8} : new long[] {t.size()};
    boolean same = pieces.size() == expect.length;
    for (int i = 0; same && i < expect.length; i++) {
      same = pieces.get(i).size() == expect[i] && pieces.get(i).offset() == 8L * i;
    }
    if (!same) {
      String words = String.join("+", pieces.stream().map(x -> x.size() + "").toList());
      throw fail(p.at(), p.root() + " of " + scope.function() + " is " + pieces.size()
          + (pieces.size() == 1 ? " word" : " words") + " of " + words + " bytes in the pclntab, not " + p.type().get()
          + " (" + String.join("+", Arrays.stream(expect).mapToObj(Long::toString).toList()) + ")");
    }
  }

  /** Every Go type a positional root may take, as DWARF would describe it. */
  static GoType positionalType(String name) {
    return switch (name) {
      case "int", "int64" -> new GoType.Base(name, 8, 2, DW_ATE_SIGNED);
      case "int8" -> new GoType.Base(name, 1, 3, DW_ATE_SIGNED);
      case "int16" -> new GoType.Base(name, 2, 4, DW_ATE_SIGNED);
      case "int32", "rune" -> new GoType.Base(name, 4, 5, DW_ATE_SIGNED);
      case "uint", "uint64", "uintptr" -> new GoType.Base(name, 8, 7, DW_ATE_UNSIGNED);
      case "uint8", "byte" -> new GoType.Base(name, 1, 8, DW_ATE_UNSIGNED);
      case "uint16" -> new GoType.Base(name, 2, 9, DW_ATE_UNSIGNED);
      case "uint32" -> new GoType.Base(name, 4, 10, DW_ATE_UNSIGNED);
      case "bool" -> new GoType.Base(name, 1, 1, DW_ATE_BOOLEAN);
      case "float32" -> new GoType.Base(name, 4, 13, DW_ATE_FLOAT);
      case "float64" -> new GoType.Base(name, 8, 14, DW_ATE_FLOAT);
      case "string" -> new GoType.GoString(name, 16, 24, List.of());
      default -> throw new IllegalArgumentException("no positional type " + name);
    };
  }

  /** Every byte the value reads must be in one piece of the root: a register, or a stack slot. */
  private void requirePlaced(Expr.Path p, ParamLayout root, long offset, VType vt) {
    List<long[]> words = new ArrayList<>();
    if (vt instanceof VType.Str) {
      words.add(new long[] {offset, 8});
      words.add(new long[] {offset + 8, 8});
    } else if (vt instanceof VType.Nilable n) {
      words.add(new long[] {offset, 8});
      if (n.kind() == VType.NilKind.SLICE) {
        words.add(new long[] {offset + 8, 8});
      }
    } else {
      words.add(new long[] {offset, vt.size()});
    }
    for (long[] w : words) {
      Optional<Piece> piece = pieceOf(root, w[0], (int) w[1]);
      if (piece.isEmpty()) {
        throw fail(p.at(), textOf(p) + " is not in one register or stack slot of " + root.name() + " ("
            + root.describe() + ")");
      }
      if (piece.get().where() instanceof ArgLocation.FloatRegister f) {
        throw fail(p.at(), textOf(p) + " is in the floating-point register " + f.name()
            + ", which a uprobe cannot read");
      }
    }
  }

  /** The piece holding bytes {@code [offset, offset + size)} of the root. */
  static Optional<Piece> pieceOf(ParamLayout root, long offset, int size) {
    for (Piece x : root.pieces()) {
      if (offset >= x.offset() && offset + size <= x.offset() + x.size()) {
        return Optional.of(x);
      }
    }
    return Optional.empty();
  }

  /** What a Go type is to an expression; empty for structs, arrays, complex numbers. */
  static Optional<VType> vtype(GoType t) {
    GoType u = t.underlying();
    VType v = null;
    if (u instanceof GoType.Base b) {
      v = base(b);
    } else if (u instanceof GoType.Pointer ptr) {
      v = new VType.Nilable(ptr.elem().isPresent() ? VType.NilKind.POINTER : VType.NilKind.UNSAFE_POINTER);
    } else if (u instanceof GoType.GoString) {
      v = new VType.Str();
    } else if (u instanceof GoType.Slice) {
      v = new VType.Nilable(VType.NilKind.SLICE);
    } else if (u instanceof GoType.Interface) {
      v = new VType.Nilable(VType.NilKind.INTERFACE);
    } else if (u instanceof GoType.GoMap) {
      v = new VType.Nilable(VType.NilKind.MAP);
    } else if (u instanceof GoType.Chan) {
      v = new VType.Nilable(VType.NilKind.CHAN);
    } else if (u instanceof GoType.Func) {
      v = new VType.Nilable(VType.NilKind.FUNC);
    }
    return Optional.ofNullable(v);
  }

  private static VType base(GoType.Base b) {
    int size = (int) b.size();
    if (!(size == 1 || size == 2 || size == 4 || size == 8)) {
      return null;
    }
    int kind = b.goKind();
    int enc = b.encoding();
    if (enc == DW_ATE_BOOLEAN || kind == 1) {
      return new VType.Bool();
    }
    if (enc == DW_ATE_FLOAT || kind == 13 || kind == 14) {
      return size == 4 || size == 8 ? new VType.Float(size) : null;
    }
    if (enc == DW_ATE_SIGNED || enc == DW_ATE_SIGNED_CHAR || (kind >= 2 && kind <= 6)) {
      return new VType.Int(size, true);
    }
    if (enc == DW_ATE_UNSIGNED || enc == DW_ATE_UNSIGNED_CHAR || enc == DW_ATE_ADDRESS || (kind >= 7 && kind <= 12)) {
      return new VType.Int(size, false);
    }
    return null;
  }

  /** A kind for messages: "a struct", "an interface". */
  static String kindName(GoType t) {
    GoType u = t.underlying();
    if (u instanceof GoType.Struct) {
      return "a struct";
    } else if (u instanceof GoType.Pointer) {
      return "a pointer";
    } else if (u instanceof GoType.Interface) {
      return "an interface";
    } else if (u instanceof GoType.Array) {
      return "an array";
    } else if (u instanceof GoType.Slice) {
      return "a slice";
    } else if (u instanceof GoType.GoMap) {
      return "a map";
    } else if (u instanceof GoType.GoString) {
      return "a string";
    } else if (u instanceof GoType.Chan) {
      return "a channel";
    } else if (u instanceof GoType.Func) {
      return "a func";
    }
    return "a value of";
  }

  /** A type's name as Go prints it in messages: packages by their last element ("*http.Request"). */
  static String goName(GoType t) {
    return PACKAGE_PATH.matcher(t.name()).replaceAll("");
  }
}
