package dev.gotrace.goelf.dwarf;

import java.util.Optional;

/** Finds the {@link GLayout} fields in the DWARF description of runtime.g. */
final class GLayouts {
  private GLayouts() {}

  static Optional<GLayout> fromType(GoType g) {
    if (g == null || !(g.underlying() instanceof GoType.Struct s)) {
      return Optional.empty();
    }
    GoType.Field stack = field(s, "stack");
    GoType.Field goid = field(s, "goid");
    GoType.Field m = field(s, "m");
    GoType.Field sched = field(s, "sched");
    if (stack == null || goid == null || m == null || sched == null
        || !(stack.type().get().underlying() instanceof GoType.Struct st)) {
      return Optional.empty();
    }
    GoType.Field lo = field(st, "lo");
    GoType.Field hi = field(st, "hi");
    if (lo == null || hi == null || stack.offset() < 0 || lo.offset() < 0 || hi.offset() < 0
        || goid.offset() < 0 || m.offset() < 0 || sched.offset() < 0) {
      return Optional.empty();
    }
    return Optional.of(new GLayout(stack.offset() + lo.offset(), stack.offset() + hi.offset(),
        goid.offset(), m.offset(), sched.offset()));
  }

  private static GoType.Field field(GoType.Struct s, String name) {
    for (GoType.Field f : s.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }
}
