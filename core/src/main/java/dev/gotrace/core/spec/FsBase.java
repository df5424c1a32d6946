package dev.gotrace.core.spec;

import dev.gotrace.core.plan.GAccess;
import dev.gotrace.probes.btf.Btf;
import java.util.OptionalLong;

/** The kernel fact a program needs when g is in thread-local storage: task_struct's fsbase offset. */
final class FsBase {
  private FsBase() {}

  /** The offset of {@code thread.fsbase} in task_struct (vmlinux BTF), only when {@code g} needs it. */
  static OptionalLong forG(GAccess g) {
    return g instanceof GAccess.ThreadLocal ? OptionalLong.of(Btf.vmlinux().taskStructFsbaseOffset())
        : OptionalLong.empty();
  }
}
