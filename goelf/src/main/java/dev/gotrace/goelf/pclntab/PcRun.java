package dev.gotrace.goelf.pclntab;

/** One run of a pc-value table: the value holds for every pc in {@code [start, end)}. */
public record PcRun(long start, long end, int value) {}
