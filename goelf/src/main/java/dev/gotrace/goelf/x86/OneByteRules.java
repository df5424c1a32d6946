package dev.gotrace.goelf.x86;

import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.InvalidInstructionException;

/**
 * Constraints of one-byte-map opcodes beyond their shape: opcode extensions by ModRM.reg (SDM
 * Vol. 2 table A-6, groups 1A, 4, 5, 11), memory-only operands, the x87 escapes (table A-7 on)
 * and the control flow of group 5 (CALL/JMP through a register or memory). The rules read the
 * ModRM byte itself: mod (bits 7:6), the opcode extension reg (5:3) and rm (2:0), without REX bits.
 */
final class OneByteRules {
  private OneByteRules() {}

  /**
   * The flow of {@code op} (NEXT unless group 5), or why its encoding is undefined; {@code
   * modrmByte} is its ModRM byte (0 when it has none).
   */
  static Flow check(int op, int modrmByte, long address) throws InvalidInstructionException {
    switch (op) {
      case 0x8d -> requireMemory(modrmByte, "LEA", address);
      case 0x9b -> // WAIT is its own instruction, but disassemblers merge it with what follows
          throw new InvalidInstructionException(address,
              "WAIT (9B) is not decoded: disassemblers merge it with the next instruction");
      case 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf -> {
        if (!X87.defined(op, modrmByte)) {
          throw undefined(address, String.format("x87 encoding %02X %02X", op, modrmByte));
        }
      }
      case 0x8f -> requireExt(modrmByte, 0, address);
      case 0xfe -> {
        if (ext(modrmByte) > 1) {
          throw undefined(address, "group 4 extension /" + ext(modrmByte));
        }
      }
      case 0xff -> {
        return group5(modrmByte, address);
      }
      case 0xc6, 0xc7 -> group11(op, modrmByte, address);
      default -> { }
    }
    return Flow.NEXT;
  }

  private static int ext(int modrmByte) {
    return (modrmByte >> 3) & 7;
  }

  private static boolean isRegister(int modrmByte) {
    return modrmByte >> 6 == 3;
  }

  private static Flow group5(int modrmByte, long address) throws InvalidInstructionException {
    return switch (ext(modrmByte)) {
      case 0, 1, 6 -> Flow.NEXT;
      case 2 -> Flow.CALL_INDIRECT;
      case 3 -> {
        requireMemory(modrmByte, "far CALL", address);
        yield Flow.CALL_INDIRECT;
      }
      case 4 -> Flow.JUMP_INDIRECT;
      case 5 -> {
        requireMemory(modrmByte, "far JMP", address);
        yield Flow.JUMP_INDIRECT;
      }
      default -> throw undefined(address, "group 5 extension /7");
    };
  }

  private static void group11(int op, int modrmByte, long address) throws InvalidInstructionException {
    // C6 F8 ib is XABORT, C7 F8 is XBEGIN rel16/32: same shape as MOV, ModRM.reg = 7.
    int ext = ext(modrmByte);
    boolean xabortOrXbegin = ext == 7 && isRegister(modrmByte) && (modrmByte & 7) == 0;
    if (ext != 0 && !xabortOrXbegin) {
      throw undefined(address, String.format("group 11 extension /%d of %02X", ext, op));
    }
  }

  private static void requireMemory(int modrmByte, String what, long address)
      throws InvalidInstructionException {
    if (isRegister(modrmByte)) {
      throw undefined(address, what + " with a register operand");
    }
  }

  private static void requireExt(int modrmByte, int ext, long address) throws InvalidInstructionException {
    if (ext(modrmByte) != ext) {
      throw undefined(address, "group 1A extension /" + ext(modrmByte));
    }
  }

  private static InvalidInstructionException undefined(long address, String what) {
    return new InvalidInstructionException(address, "undefined " + what);
  }
}
