package dev.gotrace.core.plan;

/**
 * One probe on {@code runtime.newproc1}.
 *
 * @param cookie the value the program reads back with {@code bpf_get_attach_cookie}: 0 for the
 *     entry, 1.. for the exits (the index in {@link LaunchPlan#sites()})
 * @param exit whether this is an exit (a {@code RET}) rather than the probe entry
 * @param address the link-time virtual address of the instruction
 * @param fileOffset the same as an offset in the file, what uprobes take
 */
public record LaunchSite(int cookie, boolean exit, long address, long fileOffset) {}
