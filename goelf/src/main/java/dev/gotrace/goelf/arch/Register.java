package dev.gotrace.goelf.arch;

/**
 * One integer register of a machine, with each number it goes by. The numbers are the
 * architecture's, not gotrace's: see {@link Registers} for the source of each table.
 *
 * @param name the lower-case name used in listings and messages ("rax", "r14", "x28", "sp")
 * @param number its number in the instruction encoding: x86 ModRM/SIB with the REX bits applied
 *     (0 = rax, 4 = rsp, 14 = r14), arm64 Rn/Rd/Rt (0–30, 31 = sp where an operand may be sp)
 * @param dwarf its DWARF register number ({@code DW_OP_reg}, {@code DW_OP_breg})
 * @param ptRegsOffset its byte offset in {@code struct pt_regs}, the context a uprobe's BPF
 *     program receives
 */
public record Register(String name, int number, int dwarf, int ptRegsOffset) {
  @Override
  public String toString() {
    return name;
  }
}
