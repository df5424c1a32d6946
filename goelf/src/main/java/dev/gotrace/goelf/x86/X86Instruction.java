package dev.gotrace.goelf.x86;

import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.Instruction;
import java.util.Optional;

/**
 * One decoded x86 instruction: enough of its encoding to recognise Go's prologues and jump
 * tables, without a full disassembly.
 *
 * @param address virtual address of the first byte
 * @param length total length including prefixes
 * @param flow control-flow class
 * @param target branch target for direct branches and calls, else 0
 * @param map opcode map: {@link #MAP_ONE_BYTE}, {@link #MAP_0F}, {@link #MAP_0F38}, {@link #MAP_0F3A}
 * @param opcode the opcode byte within its map
 * @param vex whether the instruction is VEX or EVEX encoded
 * @param prefixes bit set of {@code PREFIX_*} constants
 * @param rexW whether REX.W (or VEX/EVEX.W in 64-bit mode) is set
 * @param modrm the ModRM operand, if the instruction has one
 * @param immediate the first immediate, sign-extended from its size (0 when absent)
 */
public record X86Instruction(
    long address,
    int length,
    Flow flow,
    long target,
    int map,
    int opcode,
    boolean vex,
    int prefixes,
    boolean rexW,
    Optional<ModRm> modrm,
    long immediate)
    implements Instruction {

  public static final int MAP_ONE_BYTE = 0;
  public static final int MAP_0F = 1;
  public static final int MAP_0F38 = 2;
  public static final int MAP_0F3A = 3;

  public static final int PREFIX_OPSIZE = 1; // 0x66
  public static final int PREFIX_ADDRSIZE = 1 << 1; // 0x67
  public static final int PREFIX_LOCK = 1 << 2; // 0xF0
  public static final int PREFIX_REPNE = 1 << 3; // 0xF2
  public static final int PREFIX_REP = 1 << 4; // 0xF3
  public static final int PREFIX_FS = 1 << 5; // 0x64
  public static final int PREFIX_GS = 1 << 6; // 0x65
  public static final int PREFIX_OTHER_SEGMENT = 1 << 7; // 0x26 0x2E 0x36 0x3E

  /** Whether this is a one-byte-map instruction with the given opcode. */
  public boolean is(int oneByteOpcode) {
    return map == MAP_ONE_BYTE && !vex && opcode == oneByteOpcode;
  }

  /** Whether the given prefix bit is present. */
  public boolean has(int prefix) {
    return (prefixes & prefix) != 0;
  }
}
