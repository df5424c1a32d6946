package dev.gotrace.goelf.x86;

import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.InvalidInstructionException;

/**
 * Constraints of one-byte-map opcodes beyond their shape: opcode extensions by ModRM.reg (SDM
 * Vol. 2 table A-6, groups 1A, 4, 5, 11), memory-only operands, the x87 escapes (table A-7 on)
 * and the control flow of group 5 (CALL/JMP through a register or memory).
 */
final class OneByteRules {
  private OneByteRules() {}

  /** The flow of {@code op} (NEXT unless group 5), or why its encoding is undefined. */
  static Flow check(int op, ModRm m, int modrmByte, long address) throws InvalidInstructionException {
    switch (op) {
      case 0x8d -> requireMemory(m, "LEA", address);
      case 0x9b -> // WAIT is its own instruction, but disassemblers merge it with what follows
          throw new InvalidInstructionException(address,
              "WAIT (9B) is not decoded: disassemblers merge it with the next instruction");
      case 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf -> {
        if (!X87.defined(op, modrmByte)) {
          throw undefined(address, String.format("x87 encoding %02X %02X", op, modrmByte));
        }
      }
      case 0x8f -> requireExt(m, 0, address);
      case 0xfe -> {
        if (m.ext() > 1) {
          throw undefined(address, "group 4 extension /" + m.ext());
        }
      }
      case 0xff -> {
        return group5(m, address);
      }
      case 0xc6, 0xc7 -> group11(op, m, address);
      default -> { }
    }
    return Flow.NEXT;
  }

  private static Flow group5(ModRm m, long address) throws InvalidInstructionException {
    return switch (m.ext()) {
      case 0, 1, 6 -> Flow.NEXT;
      case 2 -> Flow.CALL_INDIRECT;
      case 3 -> {
        requireMemory(m, "far CALL", address);
        yield Flow.CALL_INDIRECT;
      }
      case 4 -> Flow.JUMP_INDIRECT;
      case 5 -> {
        requireMemory(m, "far JMP", address);
        yield Flow.JUMP_INDIRECT;
      }
      default -> throw undefined(address, "group 5 extension /7");
    };
  }

  private static void group11(int op, ModRm m, long address) throws InvalidInstructionException {
    // C6 F8 ib is XABORT, C7 F8 is XBEGIN rel16/32: same shape as MOV, ModRM.reg = 7.
    boolean xabortOrXbegin = m.ext() == 7 && m.mod() == 3 && (m.rm() & 7) == 0;
    if (m.ext() != 0 && !xabortOrXbegin) {
      throw undefined(address, String.format("group 11 extension /%d of %02X", m.ext(), op));
    }
  }

  private static void requireMemory(ModRm m, String what, long address)
      throws InvalidInstructionException {
    if (m.isRegister()) {
      throw undefined(address, what + " with a register operand");
    }
  }

  private static void requireExt(ModRm m, int ext, long address) throws InvalidInstructionException {
    if (m.ext() != ext) {
      throw undefined(address, "group 1A extension /" + m.ext());
    }
  }

  private static InvalidInstructionException undefined(long address, String what) {
    return new InvalidInstructionException(address, "undefined " + what);
  }
}
