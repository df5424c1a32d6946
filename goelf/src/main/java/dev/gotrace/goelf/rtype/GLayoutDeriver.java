package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.version.GoVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Derives the {@link GLayout} of {@code runtime.g} from the binary itself, without DWARF.
 *
 * <p>{@code runtime.malg} does {@code newg := new(g)}, so its code loads the address of g's
 * type descriptor before it calls the allocator. Each address that malg computes inside
 * {@code [moduledata.types, etypes)} is a candidate; a candidate is runtime.g's descriptor only
 * when all of this holds: it is a struct named exactly {@code runtime.g}; it has fields
 * {@code stack} (a struct {@code runtime.stack} with {@code lo} and {@code hi}), {@code goid}
 * (an 8-byte integer), {@code m} ({@code *runtime.m}) and {@code sched} ({@code runtime.gobuf});
 * every field starts where the one before it ended or later, and the last ends inside
 * {@code Size_}. Then the
 * runtime's assembly, where it touches these fields, must agree ({@link CodeChecks}). Anything
 * else is a {@link Derivation.NotDerived} with the reason; nothing is guessed.
 */
public final class GLayoutDeriver {
  static final String MALG = "runtime.malg";
  private static final int KIND_INT64 = 6;
  private static final int KIND_UINT64 = 11;
  private static final int KIND_POINTER = 22;

  private final ElfFile elf;
  private final Arch arch;
  private final GoVersion version;
  private final FunctionBytes.Source functions;

  public GLayoutDeriver(ElfFile elf, GoVersion version, FunctionBytes.Source functions) {
    this.elf = elf;
    this.arch = elf.arch();
    this.version = version;
    this.functions = functions;
  }

  /** The layout read from g's descriptor, with {@code types} the module's type range. */
  public Derivation derive(TypesRange types) throws GoBinaryException {
    Optional<TypeFormat> format = TypeFormat.of(version, arch.ptrSize());
    if (format.isEmpty()) {
      return new Derivation.NotDerived("the runtime type-descriptor format of " + version
          + " is ambiguous (it changed in go1.17 and go1.19)");
    }
    Optional<FunctionBytes> malg = functions.function(MALG);
    if (malg.isEmpty()) {
      return new Derivation.NotDerived(MALG + " is not in the function table");
    }
    Set<Long> addresses = Code.addresses(arch, Code.decode(arch, malg.get().code(), malg.get().entry()));
    TypeReader reader = new TypeReader(elf, types, format.get());
    List<String> rejected = new ArrayList<>();
    GLayout found = null;
    Verdict gobuf = null;
    long descriptor = 0;
    for (long a : addresses) {
      if (!types.contains(a, 1)) {
        continue;
      }
      Verdict v = candidate(reader, a);
      if (v == null) {
        continue;
      }
      if (v.rejection() != null) {
        rejected.add(v.rejection());
      } else {
        GLayout g = v.layout();
        if (found != null && !found.equals(g)) {
          return new Derivation.NotDerived(MALG + " loads two runtime.g descriptors that disagree: "
              + found + " at 0x" + Long.toHexString(descriptor) + ", " + g + " at 0x" + Long.toHexString(a));
        }
        found = g;
        descriptor = a;
        gobuf = v;
      }
    }
    if (found == null) {
      return new Derivation.NotDerived(rejected.isEmpty()
          ? MALG + " loads no type descriptor named runtime.g from moduledata.types " + types
          : String.join("; ", rejected));
    }
    CodeChecks.Result checks = new CodeChecks(arch, version, functions).check(found, gobuf.gobufSp(), gobuf.gobufPc());
    if (checks.disagreement().isPresent()) {
      return new Derivation.NotDerived(checks.disagreement().get());
    }
    return new Derivation.Derived(found, descriptor, checks.notes());
  }

  /** A proven layout (with gobuf.sp and gobuf.pc), or why a descriptor named runtime.g is not one. */
  private record Verdict(GLayout layout, long gobufSp, long gobufPc, String rejection) {
    static Verdict no(String why) {
      return new Verdict(null, 0, 0, why);
    }
  }

  /** The verdict on the descriptor at {@code address}; null when it is not named runtime.g. */
  private Verdict candidate(TypeReader reader, long address) {
    String at = "the runtime.g descriptor at 0x" + Long.toHexString(address);
    RuntimeType g;
    try {
      g = reader.read(address);
    } catch (GoBinaryException e) {
      return null; // not a descriptor; malg also computes other addresses
    }
    if (!g.name().equals("runtime.g")) {
      return null;
    }
    try {
      if (!g.isStruct()) {
        return Verdict.no(at + " is not a struct (kind " + g.kind() + ")");
      }
      long end = 0; // where the previous field ends
      for (RuntimeType.Field f : g.fields()) {
        long size = reader.sizeOf(f.type());
        if (f.offset() < end || size < 0 || Long.compareUnsigned(f.offset() + size, g.size()) > 0
            || f.offset() + size < f.offset()) {
          return Verdict.no(at + ": field " + f.name() + " at offset " + f.offset() + " (" + size
              + " bytes) overlaps the field before it or runs past g's size " + g.size());
        }
        end = f.offset() + size;
      }
      Optional<String> missing = missing(g, "stack", "goid", "m", "sched");
      if (missing.isPresent()) {
        return Verdict.no(at + " has no field " + missing.get());
      }
      RuntimeType.Field stack = g.field("stack").get();
      RuntimeType.Field goid = g.field("goid").get();
      RuntimeType.Field m = g.field("m").get();
      RuntimeType.Field sched = g.field("sched").get();
      RuntimeType st = reader.read(stack.type());
      if (!st.isStruct() || !st.name().equals("runtime.stack")) {
        return Verdict.no(at + ": field stack is a " + st.name() + ", not the struct runtime.stack");
      }
      Optional<String> missingLoHi = missing(st, "lo", "hi");
      if (missingLoHi.isPresent()) {
        return Verdict.no(at + ": runtime.stack has no field " + missingLoHi.get());
      }
      long lo = st.field("lo").get().offset();
      long hi = st.field("hi").get().offset();
      int w = arch.ptrSize();
      if (lo + w > st.size() || hi + w > st.size() || stack.offset() + st.size() > g.size()) {
        return Verdict.no(at + ": runtime.stack's lo/hi lie outside it");
      }
      RuntimeType goidType = reader.read(goid.type());
      if (goidType.size() != 8 || goidType.kind() != KIND_INT64 && goidType.kind() != KIND_UINT64
          || goid.offset() + 8 > g.size()) {
        return Verdict.no(at + ": field goid is a " + goidType.name() + ", not an 8-byte integer inside g");
      }
      RuntimeType mType = reader.read(m.type());
      if (mType.kind() != KIND_POINTER || !mType.name().equals("*runtime.m") || m.offset() + w > g.size()) {
        return Verdict.no(at + ": field m is a " + mType.name() + ", not *runtime.m");
      }
      RuntimeType gobuf = reader.read(sched.type());
      if (!gobuf.isStruct() || !gobuf.name().equals("runtime.gobuf") || sched.offset() + gobuf.size() > g.size()) {
        return Verdict.no(at + ": field sched is a " + gobuf.name() + ", not runtime.gobuf");
      }
      Optional<String> missingSpPc = missing(gobuf, "sp", "pc");
      if (missingSpPc.isPresent()) {
        return Verdict.no(at + ": runtime.gobuf has no field " + missingSpPc.get());
      }
      return new Verdict(new GLayout(stack.offset() + lo, stack.offset() + hi, goid.offset(), m.offset(),
          sched.offset()), gobuf.field("sp").get().offset(), gobuf.field("pc").get().offset(), null);
    } catch (GoBinaryException e) {
      return Verdict.no(at + ": " + e.getMessage());
    }
  }

  private static Optional<String> missing(RuntimeType t, String... names) {
    for (String n : names) {
      if (t.field(n).isEmpty()) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }
}
