package dev.gotrace.probes.vm;

import java.nio.charset.StandardCharsets;

/**
 * One probe hit as the test stages it: the context bytes (a uprobe's {@code pt_regs}, read-only
 * to the program) and what the helpers that ask the kernel return: {@code bpf_get_attach_cookie},
 * {@code bpf_ktime_get_ns} (the same value for every call in the run),
 * {@code bpf_get_current_pid_tgid}, {@code bpf_get_current_task}, {@code bpf_get_func_ip},
 * {@code bpf_get_smp_processor_id} and {@code bpf_get_current_comm}.
 */
public record Call(byte[] context, long cookie, long ktimeNs, long pidTgid, long currentTask, long funcIp,
    int cpu, String comm) {
  public Call {
    context = context.clone();
    if (comm.getBytes(StandardCharsets.UTF_8).length > 15) {
      throw new IllegalArgumentException("comm '" + comm + "' is longer than the kernel's 15 bytes");
    }
  }

  /** A hit with context {@code context} and every helper value 0 (comm "workload"). */
  public static Call of(byte[] context) {
    return new Call(context, 0, 0, 0, 0, 0, 0, "workload");
  }

  @Override
  public byte[] context() {
    return context.clone();
  }

  public Call withCookie(long v) {
    return new Call(context, v, ktimeNs, pidTgid, currentTask, funcIp, cpu, comm);
  }

  public Call withKtime(long v) {
    return new Call(context, cookie, v, pidTgid, currentTask, funcIp, cpu, comm);
  }

  public Call withPidTgid(long v) {
    return new Call(context, cookie, ktimeNs, v, currentTask, funcIp, cpu, comm);
  }

  public Call withCurrentTask(long v) {
    return new Call(context, cookie, ktimeNs, pidTgid, v, funcIp, cpu, comm);
  }

  public Call withFuncIp(long v) {
    return new Call(context, cookie, ktimeNs, pidTgid, currentTask, v, cpu, comm);
  }

  public Call withCpu(int v) {
    return new Call(context, cookie, ktimeNs, pidTgid, currentTask, funcIp, v, comm);
  }

  public Call withComm(String v) {
    return new Call(context, cookie, ktimeNs, pidTgid, currentTask, funcIp, cpu, v);
  }
}
