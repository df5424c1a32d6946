package dev.gotrace.probes.vm;

import dev.gotrace.probes.asm.Helper;
import java.nio.charset.StandardCharsets;

/**
 * The helper functions, with the argument checks the verifier makes (a map argument is a map
 * handle of the right kind, a memory argument lies wholly in the program's memory, a context
 * argument is the context) and the results {@code include/uapi/linux/bpf.h} documents.
 */
final class Helpers {
  /** The largest size a helper's memory argument may have here (the verifier bounds it too). */
  private static final long MAX_SIZE = 1 << 20;
  private final Execution x;

  Helpers(Execution x) {
    this.x = x;
  }

  long call(int id) {
    Helper h = Helper.byId(id);
    if (h == null) {
      throw new Fault("unknown helper #" + id);
    }
    return switch (h) {
      case MAP_LOOKUP_ELEM -> {
        VmMap m = map(1);
        yield m.lookup(key(m, 2));
      }
      case MAP_UPDATE_ELEM -> {
        VmMap m = map(1);
        byte[] key = key(m, 2);
        byte[] value = x.space.read(x.reg(3), m.spec().valueSize());
        yield m.update(key, value, x.reg(4));
      }
      case MAP_DELETE_ELEM -> {
        VmMap m = map(1);
        yield m.delete(key(m, 2));
      }
      case KTIME_GET_NS -> x.call.ktimeNs();
      case GET_SMP_PROCESSOR_ID -> x.call.cpu();
      case GET_CURRENT_PID_TGID -> x.call.pidTgid();
      case GET_CURRENT_TASK -> x.call.currentTask();
      case GET_CURRENT_COMM -> comm();
      case GET_ATTACH_COOKIE -> {
        context(1);
        yield x.call.cookie();
      }
      case GET_FUNC_IP -> {
        context(1);
        yield x.call.funcIp();
      }
      case PROBE_READ_USER -> probeRead(x.vmUser(), false);
      case PROBE_READ_KERNEL -> probeRead(x.vmKernel(), false);
      case PROBE_READ_USER_STR -> probeRead(x.vmUser(), true);
      case PROBE_READ_KERNEL_STR -> probeRead(x.vmKernel(), true);
      case RINGBUF_RESERVE -> ring(1).reserve(x.reg(2), x.reg(3), x.pc());
      case RINGBUF_SUBMIT -> release(false);
      case RINGBUF_DISCARD -> release(true);
      case RINGBUF_QUERY -> ring(1).query(x.reg(2));
      case RINGBUF_OUTPUT -> {
        VmRing ring = ring(1);
        yield ring.output(x.space.read(x.reg(2), size(3)), x.reg(4));
      }
      case TRACE_PRINTK, PERF_EVENT_OUTPUT -> throw new Fault(h.kernelName() + " is not modeled by the interpreter");
    };
  }

  private VmMap map(int arg) {
    long v = x.reg(arg);
    VmMap m = x.mapAt(v);
    if (m == null) {
      throw new Fault("r" + arg + " (0x" + Long.toHexString(v) + ") is not a map");
    }
    return m;
  }

  private VmRing ring(int arg) {
    VmMap m = map(arg);
    if (!(m instanceof VmRing r)) {
      throw new Fault("r" + arg + " is " + m.kind() + ", not a ring buffer");
    }
    return r;
  }

  private byte[] key(VmMap m, int arg) {
    if (m instanceof VmRing) {
      throw new Fault("map operation on " + m.kind());
    }
    return x.space.read(x.reg(arg), m.spec().keySize());
  }

  private void context(int arg) {
    if (x.reg(arg) != AddressSpace.CONTEXT) {
      throw new Fault("r" + arg + " is not the context");
    }
  }

  private int size(int arg) {
    long n = x.reg(arg);
    if (n < 0 || n > MAX_SIZE) {
      throw new Fault("r" + arg + " = " + n + " is not a size in 0.." + MAX_SIZE);
    }
    return (int) n;
  }

  /**
   * {@code bpf_probe_read_*(dst, size, src)}: copies from {@code from}; on a missing byte the
   * destination is zeroed and the result is -EFAULT. The string forms stop after a NUL, always
   * NUL-terminate and return the length copied with the NUL.
   */
  private long probeRead(SparseMemory from, boolean str) {
    long dst = x.reg(1);
    int n = size(2);
    long src = x.reg(3);
    if (n == 0) {
      return str ? Errno.EINVAL : 0;
    }
    x.space.resolve(dst, n, true);
    byte[] out = new byte[n];
    if (!str) {
      byte[] got = from.read(src, n);
      if (got == null) {
        x.space.write(dst, out);
        return Errno.EFAULT;
      }
      x.space.write(dst, got);
      return 0;
    }
    int len = 0;
    while (len < n - 1) {
      int b = from.byteAt(src + len);
      if (b < 0) {
        x.space.write(dst, new byte[n]);
        return Errno.EFAULT;
      }
      if (b == 0) {
        break;
      }
      out[len++] = (byte) b;
    }
    out[len] = 0;
    x.space.write(dst, java.util.Arrays.copyOf(out, len + 1));
    return len + 1;
  }

  private long release(boolean discard) {
    long addr = x.reg(1);
    long flags = x.reg(2);
    for (VmMap m : x.vmMaps()) {
      if (m instanceof VmRing r && r.reserved(addr)) {
        r.release(addr, flags, discard);
        return 0;
      }
    }
    throw new Fault("r1 (0x" + Long.toHexString(addr) + ") is not the start of a reserved ring-buffer record");
  }

  private long comm() {
    long dst = x.reg(1);
    int n = size(2);
    if (n == 0) {
      return Errno.EINVAL;
    }
    byte[] name = x.call.comm().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[n];
    System.arraycopy(name, 0, out, 0, Math.min(name.length, n - 1));
    x.space.write(dst, out);
    return 0;
  }
}
