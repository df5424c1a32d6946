package dev.gotrace.probes.prog;

import com.sun.jna.Memory;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.sys.Attr;
import dev.gotrace.probes.sys.Bpf;
import dev.gotrace.probes.sys.BpfCmd;
import dev.gotrace.probes.sys.Errno;
import dev.gotrace.probes.sys.Fd;
import dev.gotrace.probes.sys.SyscallException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An owned, verified program of type {@code BPF_PROG_TYPE_KPROBE} (2), loaded with licence
 * {@code "GPL"}. {@link #load} first tries without a log (fast path); when the kernel refuses, it
 * loads again with {@code log_level} 1 and a 64 KiB log, growing the buffer to
 * {@code log_true_size} on ENOSPC, and throws a {@link VerifierException} carrying the log.
 */
public final class LoadedProgram implements AutoCloseable {
  public static final int PROG_TYPE_KPROBE = 2;
  private static final int FIRST_LOG = 64 * 1024;
  private static final int MAX_LOG = 64 * 1024 * 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]{0,15}");

  private final String name;
  private final AttachType attachType;
  private final Fd fd;
  private final int slots;

  private LoadedProgram(String name, AttachType attachType, Fd fd, int slots) {
    this.name = name;
    this.attachType = attachType;
    this.fd = fd;
    this.slots = slots;
  }

  /**
   * Loads {@code program}; {@code maps} supplies every map the program references, by name.
   */
  public static LoadedProgram load(String name, Program program, AttachType attachType,
      Map<String, BpfMap> maps) {
    return load(name, program, attachType, maps, FIRST_LOG);
  }

  /** As {@link #load(String, Program, AttachType, Map)} with the first log buffer's size given. */
  static LoadedProgram load(String name, Program program, AttachType attachType,
      Map<String, BpfMap> maps, int firstLogSize) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("program name '" + name
          + "' must be at most 15 characters of [A-Za-z0-9_.]");
    }
    Map<String, Integer> fds = new HashMap<>();
    maps.forEach((k, v) -> fds.put(k, v.fd().get()));
    Program.Encoded enc = program.encode(fds);
    Memory insns = Attr.bytes(enc.code());
    Memory license = Attr.cString("GPL");
    try {
      int fd = Bpf.call(BpfCmd.BPF_PROG_LOAD, attr(name, attachType, enc, insns, license), "program " + name);
      return new LoadedProgram(name, attachType, new Fd(fd, "bpf program " + name), enc.slots());
    } catch (SyscallException first) {
      return loadWithLog(name, attachType, enc, insns, license, first, firstLogSize);
    }
  }

  private static LoadedProgram loadWithLog(String name, AttachType attachType, Program.Encoded enc,
      Memory insns, Memory license, SyscallException first, int firstLogSize) {
    int size = firstLogSize;
    while (true) {
      Memory log = new Memory(size);
      log.clear();
      Attr a = attr(name, attachType, enc, insns, license).u32(24, 1).u32(28, size).ptr(32, log);
      try {
        int fd = Bpf.call(BpfCmd.BPF_PROG_LOAD, a, "program " + name);
        // Loaded with the log although not without: a transient failure (e.g. EAGAIN).
        return new LoadedProgram(name, attachType, new Fd(fd, "bpf program " + name), enc.slots());
      } catch (SyscallException e) {
        String text = cString(log, size);
        int trueSize = a.getU32(140);
        if (e.is(Errno.ENOSPC) && trueSize > size && size < MAX_LOG) {
          size = Math.min(MAX_LOG, Math.max(trueSize + 1, size * 2));
          continue;
        }
        if (text.isBlank()) {
          throw first;
        }
        throw new VerifierException(name, e.errno(), text);
      }
    }
  }

  private static Attr attr(String name, AttachType at, Program.Encoded enc, Memory insns,
      Memory license) {
    return Bpf.attr()
        .u32(0, PROG_TYPE_KPROBE)
        .u32(4, enc.slots())
        .ptr(8, insns)
        .ptr(16, license)
        .name(48, 16, name)
        .u32(68, at.value());
  }

  private static String cString(Memory m, int size) {
    byte[] b = m.getByteArray(0, size);
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  public String name() {
    return name;
  }

  public AttachType attachType() {
    return attachType;
  }

  /** Number of instruction slots loaded. */
  public int slots() {
    return slots;
  }

  public Fd fd() {
    return fd;
  }

  @Override
  public void close() {
    fd.close();
  }
}
