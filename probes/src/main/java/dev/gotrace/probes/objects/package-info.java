/**
 * What the kernel holds right now: every loaded eBPF program and every link, walked by id
 * ({@code BPF_PROG_GET_NEXT_ID}, {@code BPF_LINK_GET_NEXT_ID}), opened by id and described with
 * {@code BPF_OBJ_GET_INFO_BY_FD} — what {@code bpftool prog} and {@code bpftool link} show. Used to
 * prove that a tracer which died left nothing behind.
 *
 * <p>Source of truth: {@code linux/bpf.h} on Linux 6.18: the {@code *_GET_NEXT_ID} and
 * {@code *_GET_FD_BY_ID} members of {@code union bpf_attr} (start_id/prog_id/link_id at 0,
 * next_id at 4, open_flags at 8), {@code info} at 0/4/8 for {@code BPF_OBJ_GET_INFO_BY_FD},
 * {@code struct bpf_prog_info} (type 0, id 4, name[16] at 64) and {@code struct bpf_link_info}
 * (type 0, id 4, prog_id 8).
 */
package dev.gotrace.probes.objects;
