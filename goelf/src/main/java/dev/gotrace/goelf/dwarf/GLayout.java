package dev.gotrace.goelf.dwarf;

/**
 * Byte offsets inside the Go runtime's {@code g} struct (runtime/runtime2.go) that a tracer
 * reads: {@code g.stack.lo}, {@code g.stack.hi}, {@code g.goid}, {@code g.m} and the start of
 * {@code g.sched} (a runtime.gobuf).
 */
public record GLayout(long stackLo, long stackHi, long goid, long m, long sched) {}
