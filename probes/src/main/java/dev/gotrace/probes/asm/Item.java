package dev.gotrace.probes.asm;

/** One element of a program listing: an instruction or a label naming the next instruction. */
public sealed interface Item permits Insn, Label {}
