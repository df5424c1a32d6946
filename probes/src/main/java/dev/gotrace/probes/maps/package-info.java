/**
 * BPF maps as owned Java objects: hash, LRU hash, array, per-CPU array and ring buffer
 * ({@link dev.gotrace.probes.maps.BpfMap}), with typed access through
 * {@link dev.gotrace.probes.maps.Codec}s and per-CPU values summed over the possible CPUs
 * ({@link dev.gotrace.probes.maps.PossibleCpus}); whole maps read in batches
 * ({@link dev.gotrace.probes.maps.MapContents}), and {@code BPF_F_MMAPABLE} arrays read through
 * {@code mmap} without system calls ({@link dev.gotrace.probes.maps.MappedArray}).
 *
 * <p>Source of truth: {@code linux/bpf.h} ({@code BPF_MAP_CREATE} and element commands),
 * {@code kernel/bpf/syscall.c} {@code bpf_map_value_size} (per-CPU buffers are
 * {@code roundup(value_size, 8)} bytes per possible CPU), {@code kernel/bpf/arraymap.c}
 * {@code array_map_mmap} (an mmapable array's values every {@code roundup(value_size, 8)} bytes
 * from offset 0), as checked on Linux 6.18 in
 * {@code shared/reference/kernel.md} sections 1.1 and 1.2.
 */
package dev.gotrace.probes.maps;
