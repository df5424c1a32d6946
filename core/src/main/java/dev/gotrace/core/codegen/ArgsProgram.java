package dev.gotrace.core.codegen;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.Piece;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.GAccess;
import dev.gotrace.core.plan.RecordLayout;
import dev.gotrace.probes.asm.AluOp;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.ringbuf.RingBufAsm;
import java.util.List;
import java.util.OptionalLong;

/**
 * The probe program of {@code gotrace args}: one program for every site, dispatching on the
 * block number in the high half of the attach cookie. Each block reserves its own constant-size
 * record ({@link ArgsRecord} header + {@link RecordLayout}), copies exactly the registers and
 * stack bytes of its parameters, then the bounded prefix of each string and slice they hold.
 *
 * <p>Registers: R6 = pt_regs, R7 = cookie, R8 = the record, R9 = SP.
 */
public final class ArgsProgram {
  public static final String EVENTS = "events";
  public static final String DROPS = "drops";

  private ArgsProgram() {}

  /**
   * The program for {@code plan}; {@code fsbaseOffset} as in {@link FuncsProgram#generate},
   * {@code ringBytes} the size of ring buffer {@value #EVENTS} (for the wake-up threshold of
   * {@link RingBufAsm#submitQuietly}).
   */
  public static Program generate(ArgsPlan plan, OptionalLong fsbaseOffset, int ringBytes) {
    Program.Builder b = Program.builder()
        .add(mov64(Reg.R6, Reg.R1),
            call(Helper.GET_ATTACH_COOKIE),
            mov64(Reg.R7, Reg.R0),
            ldx(Size.DW, Reg.R9, Reg.R6, plan.base().arch().stackPointer().ptRegsOffset()),
            mov64(Reg.R1, Reg.R7),
            alu64(AluOp.RSH, Reg.R1, 32));
    // Each block sits behind its own test, and ends in its own exit: every jump stays within one
    // block, so no offset outgrows the 16 bits of a jump however many functions are traced.
    for (ArgsPlan.Block blk : plan.blocks()) {
      b.add(jmp(JmpOp.JNE, Reg.R1, blk.id(), "skip" + blk.id()));
      block(b, plan, blk, fsbaseOffset, ringBytes);
      b.label("skip" + blk.id());
    }
    b.add(mov64(Reg.R0, 0), exit());
    return b.build();
  }

  private static void block(Program.Builder b, ArgsPlan plan, ArgsPlan.Block blk, OptionalLong fs, int ringBytes) {
    RecordLayout l = blk.layout();
    String id = "b" + blk.id();
    b.addAll(RingBufAsm.reserveOrCountDrop(id, EVENTS, DROPS, l.size(), Reg.R8, -8, id + "_out"));
    b.add(stx(Size.DW, Reg.R8, ArgsRecord.COOKIE, Reg.R7),
        stx(Size.DW, Reg.R8, ArgsRecord.SP, Reg.R9),
        call(Helper.KTIME_GET_NS),
        stx(Size.DW, Reg.R8, ArgsRecord.KTIME, Reg.R0),
        call(Helper.GET_CURRENT_PID_TGID),
        stx(Size.DW, Reg.R8, ArgsRecord.PID_TGID, Reg.R0),
        ldx(Size.DW, Reg.R1, Reg.R6, plan.base().arch().ptRegsPc()),
        stx(Size.DW, Reg.R8, ArgsRecord.IP, Reg.R1));
    // g, then goid and stack.hi through it.
    if (plan.base().g() instanceof GAccess.InRegister r) {
      b.add(ldx(Size.DW, Reg.R1, Reg.R6, r.register().ptRegsOffset()),
          stx(Size.DW, Reg.R8, ArgsRecord.G, Reg.R1));
    } else if (plan.base().g() instanceof GAccess.ThreadLocal t) {
      long off = fs.orElseThrow(() -> new IllegalArgumentException(
          "g is thread-local but no task_struct fsbase offset was given"));
      b.add(call(Helper.GET_CURRENT_TASK),
          mov64(Reg.R3, Reg.R0),
          add64(Reg.R3, Math.toIntExact(off)),
          mov64(Reg.R1, Reg.R8),
          add64(Reg.R1, ArgsRecord.G),
          mov64(Reg.R2, 8),
          call(Helper.PROBE_READ_KERNEL));
      b.addAll(RecordAsm.readUser(ArgsRecord.G, 8, ldx(Size.DW, Reg.R3, Reg.R8, ArgsRecord.G), t.offset()));
    }
    b.addAll(RecordAsm.readUser(ArgsRecord.GOID, 8, ldx(Size.DW, Reg.R3, Reg.R8, ArgsRecord.G), plan.base().goidOffset()));
    b.addAll(RecordAsm.readUser(ArgsRecord.STACK_HI, 8, ldx(Size.DW, Reg.R3, Reg.R8, ArgsRecord.G), plan.stackHiOffset()));
    for (RecordLayout.Value v : l.values()) {
      if (!v.copied()) {
        continue;
      }
      for (Piece p : v.param().pieces()) {
        int at = v.offset() + (int) p.offset();
        if (p.where() instanceof ArgLocation.InRegister r) {
          b.add(ldx(Size.DW, Reg.R1, Reg.R6, r.register().ptRegsOffset()),
              stx(size(p.size()), Reg.R8, at, Reg.R1));
        } else if (p.where() instanceof ArgLocation.Stack s) {
          b.addAll(RecordAsm.readUser(at, p.size(), mov64(Reg.R3, Reg.R9), s.spOffset()));
        }
        // Float registers: left zero; the decoder says the value is unavailable.
      }
    }
    int n = 0;
    for (RecordLayout.Buffer buf : l.buffers()) {
      String skip = id + "_len" + n++;
      b.add(ldx(Size.DW, Reg.R3, Reg.R8, buf.ptrOffset()));
      if (buf.fixed()) {
        b.add(mov64(Reg.R2, buf.maxElems()));
      } else {
        b.add(ldx(Size.DW, Reg.R2, Reg.R8, buf.lenOffset()),
            jmp(JmpOp.JLE, Reg.R2, buf.maxElems(), skip),
            mov64(Reg.R2, buf.maxElems()))
            .label(skip);
      }
      if (buf.elemSize() > 1) {
        b.add(alu64(AluOp.LSH, Reg.R2, Integer.numberOfTrailingZeros(buf.elemSize())));
      }
      b.add(mov64(Reg.R1, Reg.R8),
          add64(Reg.R1, buf.dataOffset()),
          call(Helper.PROBE_READ_USER),
          stx(Size.DW, Reg.R8, buf.offset(), Reg.R0));
    }
    b.addAll(RingBufAsm.submitQuietly(id, EVENTS, ringBytes, Reg.R8))
        .label(id + "_out")
        .add(mov64(Reg.R0, 0), exit());
  }

  private static Size size(int bytes) {
    return switch (bytes) {
      case 1 -> Size.B;
      case 2 -> Size.H;
      case 4 -> Size.W;
      case 8 -> Size.DW;
      default -> throw new IllegalArgumentException("register piece of " + bytes + " bytes");
    };
  }

}
