package dev.gotrace.goelf.arch;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The machine architectures gotrace reads, as values: word size, ELF machine number, Go's name,
 * and the ABI facts that depend on the architecture alone: its integer registers with their
 * encoding, DWARF and {@code pt_regs} numbers, the stack pointer, where the program counter is in
 * {@code pt_regs}, and the registers Go's internal ABI assigns arguments to and keeps {@code g} in
 * (tables and their sources: {@link Registers}). Facts that also depend on the Go version (which
 * ABI a function uses) live with the Go version, not here; the prologue shapes are the
 * architecture's {@code sites.CodeModel}.
 */
public enum Arch {
  /** x86-64; register ABI from Go 1.17 (g in R14). */
  AMD64("amd64", 62, 8, 17, Registers.AMD64, "rsp", Registers.AMD64_PT_REGS_PC,
      Registers.AMD64_INT_ARGS, Registers.AMD64_FLOAT_ARGS, "x", Registers.AMD64_DWARF_XMM0,
      Registers.AMD64_VECTORS, "r14"),
  /** 32-bit x86; always the stack ABI (g in thread-local storage). */
  I386("386", 3, 4, Integer.MAX_VALUE, Registers.I386, "esp", Registers.I386_PT_REGS_PC,
      List.of(), 0, "x", Registers.I386_DWARF_XMM0, Registers.I386_VECTORS, null),
  /** AArch64; register ABI from Go 1.18 (g in R28). */
  ARM64("arm64", 183, 8, 18, Registers.ARM64, "sp", Registers.ARM64_PT_REGS_PC,
      Registers.ARM64.subList(0, Registers.ARM64_INT_ARGS).stream().map(Register::name).toList(),
      Registers.ARM64_FLOAT_ARGS, "f", Registers.ARM64_DWARF_V0, Registers.ARM64_VECTORS, "x28");

  private final String goArch;
  private final int elfMachine;
  private final int ptrSize;
  private final int registerAbiSinceMinor;
  private final List<Register> registers;
  private final Register stackPointer;
  private final int ptRegsPc;
  private final List<Register> intArgs;
  private final int floatArgs;
  private final String floatPrefix;
  private final int dwarfVector0;
  private final int vectors;
  private final Optional<Register> g;

  Arch(String goArch, int elfMachine, int ptrSize, int registerAbiSinceMinor, List<Register> registers,
      String stackPointer, int ptRegsPc, List<String> intArgs, int floatArgs, String floatPrefix,
      int dwarfVector0, int vectors, String g) {
    this.goArch = goArch;
    this.elfMachine = elfMachine;
    this.ptrSize = ptrSize;
    this.registerAbiSinceMinor = registerAbiSinceMinor;
    this.registers = registers;
    this.stackPointer = named(registers, stackPointer);
    this.ptRegsPc = ptRegsPc;
    this.intArgs = intArgs.stream().map(n -> named(registers, n)).toList();
    this.floatArgs = floatArgs;
    this.floatPrefix = floatPrefix;
    this.dwarfVector0 = dwarfVector0;
    this.vectors = vectors;
    this.g = Optional.ofNullable(g).map(n -> named(registers, n));
  }

  private static Register named(List<Register> registers, String name) {
    return registers.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  /** GOARCH spelling: amd64, 386, arm64. */
  public String goArch() {
    return goArch;
  }

  /** ELF e_machine value (EM_X86_64 = 62, EM_386 = 3, EM_AARCH64 = 183). */
  public int elfMachine() {
    return elfMachine;
  }

  /** Pointer size in bytes. */
  public int ptrSize() {
    return ptrSize;
  }

  /**
   * The pc quantum: the unit of pc deltas in pclntab tables, the minimum instruction size (1 on
   * x86, 4 on arm64; cmd/internal/sys/arch.go MinLC).
   */
  public int pcQuantum() {
    return this == ARM64 ? 4 : 1;
  }

  /** Whether Go 1.{@code minor} uses the register-based internal ABI on this architecture. */
  public boolean registerAbi(int goMinor) {
    return goMinor >= registerAbiSinceMinor;
  }

  /** The integer registers, the stack pointer among them, in encoding-number order. */
  public List<Register> registers() {
    return registers;
  }

  /** The register named {@code name} ("rax", "x28"). */
  public Optional<Register> register(String name) {
    return registers.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** The integer register with encoding number {@code number} (x86 ModRM with REX, arm64 Rn). */
  public Optional<Register> registerNumbered(int number) {
    return number >= 0 && number < registers.size() ? Optional.of(registers.get(number)) : Optional.empty();
  }

  /** The integer register with DWARF number {@code dwarf}; the stack pointer among them. */
  public Optional<Register> dwarfRegister(int dwarf) {
    return registers.stream().filter(r -> r.dwarf() == dwarf).findFirst();
  }

  /** The stack pointer (rsp, esp, sp). */
  public Register stackPointer() {
    return stackPointer;
  }

  /** The offset of the program counter (rip, eip, pc) in {@code struct pt_regs}. */
  public int ptRegsPc() {
    return ptRegsPc;
  }

  /**
   * The integer registers the register ABI assigns arguments and results to, in assignment order
   * (abi-internal.md: amd64 RAX, RBX, RCX, RDI, RSI, R8–R11; arm64 R0–R15); none where Go has
   * only the stack ABI.
   */
  public List<Register> intArgRegisters() {
    return intArgs;
  }

  /** How many floating-point registers the register ABI assigns (amd64 X0–X14, arm64 F0–F15). */
  public int floatArgRegisters() {
    return floatArgs;
  }

  /** The name of floating-point (vector) register {@code i}: "x0" on x86, "f0" on arm64. */
  public String floatRegisterName(int i) {
    return floatPrefix + i;
  }

  /**
   * The index of the floating-point (vector) register with DWARF number {@code dwarf} (x86-64:
   * XMM0–XMM15 are 17–32; i386: XMM0–XMM7 are 21–28; arm64: V0–V31 are 64–95).
   */
  public OptionalInt dwarfFloatRegister(int dwarf) {
    int i = dwarf - dwarfVector0;
    return i >= 0 && i < vectors ? OptionalInt.of(i) : OptionalInt.empty();
  }

  /**
   * The register the register ABI keeps the current goroutine's {@code g} in (abi-internal.md:
   * amd64 R14, arm64 R28; arm64 Go kept it in R28 before that ABI too); empty on 386, whose Go
   * keeps it in thread-local storage, as amd64 Go did before Go 1.17.
   */
  public Optional<Register> gRegister() {
    return g;
  }

  public static Optional<Arch> fromElfMachine(int machine) {
    for (Arch a : values()) {
      if (a.elfMachine == machine) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public static Optional<Arch> fromGoArch(String name) {
    for (Arch a : values()) {
      if (a.goArch.equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
