package dev.gotrace.probes.objects;

import com.sun.jna.Memory;
import dev.gotrace.probes.sys.Attr;
import dev.gotrace.probes.sys.Bpf;
import dev.gotrace.probes.sys.BpfCmd;
import dev.gotrace.probes.sys.Errno;
import dev.gotrace.probes.sys.Fd;
import dev.gotrace.probes.sys.SyscallException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The eBPF programs and links loaded in the kernel, system-wide (needs CAP_SYS_ADMIN). */
public final class BpfObjects {
  private static final int PROG_INFO_SIZE = 256;
  private static final int LINK_INFO_SIZE = 128;
  private static final int PROG_NAME_OFFSET = 64;
  private static final int NAME_LEN = 16;

  private BpfObjects() {}

  /** A loaded program: its id, {@code enum bpf_prog_type} and the name given at load time. */
  public record Program(int id, int type, String name) {}

  /** A link: its id, {@code enum bpf_link_type} and the program it runs. */
  public record Link(int id, int type, int programId) {}

  /** Every program loaded now; ones unloaded while walking are left out. */
  public static List<Program> programs() {
    List<Program> out = new ArrayList<>();
    for (int id : ids(BpfCmd.BPF_PROG_GET_NEXT_ID)) {
      program(id).ifPresent(out::add);
    }
    return out;
  }

  /** Every link now; ones closed while walking are left out. */
  public static List<Link> links() {
    List<Link> out = new ArrayList<>();
    for (int id : ids(BpfCmd.BPF_LINK_GET_NEXT_ID)) {
      Optional<Memory> info = info(BpfCmd.BPF_LINK_GET_FD_BY_ID, id, LINK_INFO_SIZE, "link");
      info.ifPresent(m -> out.add(new Link(m.getInt(4), m.getInt(0), m.getInt(8))));
    }
    return out;
  }

  /** The program with this id, or empty when there is none (any more). */
  public static Optional<Program> program(int id) {
    return info(BpfCmd.BPF_PROG_GET_FD_BY_ID, id, PROG_INFO_SIZE, "program")
        .map(m -> new Program(m.getInt(4), m.getInt(0), name(m)));
  }

  private static List<Integer> ids(BpfCmd next) {
    List<Integer> ids = new ArrayList<>();
    int id = 0;
    while (true) {
      Attr a = Bpf.attr().u32(0, id);
      try {
        Bpf.call(next, a, "id after " + id);
      } catch (SyscallException e) {
        if (e.is(Errno.ENOENT)) {
          return ids;
        }
        throw e;
      }
      id = a.getU32(4);
      ids.add(id);
    }
  }

  private static Optional<Memory> info(BpfCmd byId, int id, int size, String what) {
    Fd fd;
    try {
      fd = Bpf.callFd(byId, Bpf.attr().u32(0, id), what + " " + id);
    } catch (SyscallException e) {
      if (e.is(Errno.ENOENT)) {
        return Optional.empty();
      }
      throw e;
    }
    try (fd) {
      Memory info = Attr.bytes(new byte[size]);
      Bpf.call(BpfCmd.BPF_OBJ_GET_INFO_BY_FD, Bpf.attr().u32(0, fd.get()).u32(4, size).ptr(8, info),
          what + " " + id);
      return Optional.of(info);
    }
  }

  private static String name(Memory info) {
    byte[] b = info.getByteArray(PROG_NAME_OFFSET, NAME_LEN);
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.US_ASCII);
  }
}
