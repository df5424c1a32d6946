/**
 * Reading a BPF ring buffer from user space without a system call per record: the consumer page
 * mapped read-write, the producer page and the data area (mapped twice back to back, so a record
 * that wraps reads contiguously) mapped read-only; {@code epoll} only when it is empty, and then
 * for at most {@link dev.gotrace.probes.ringbuf.RingBufReader#MAX_WAIT_MS}.
 *
 * <p>Wake-ups: the programs commit with {@code BPF_RB_NO_WAKEUP} and force a wakeup only once
 * the ring holds more than an eighth of its size
 * ({@link dev.gotrace.probes.ringbuf.RingBufAsm#submitQuietly}; {@code bpf_ringbuf_query},
 * Linux 5.8 like the ring buffer itself). The kernel's default, an adaptive wakeup whenever the
 * reader has caught up, meant a wakeup (and a context switch) per record for a reader that keeps
 * up, as costly as the uprobe trap. The reader's bounded wait finds records no wakeup announced;
 * a final {@code drain} finds those left at the end. Drops are
 * counted in the kernel by the producing program in a per-CPU array
 * ({@link dev.gotrace.probes.ringbuf.DropCounter}, emitted with
 * {@link dev.gotrace.probes.ringbuf.RingBufAsm#reserveOrCountDrop}) and surfaced by the reader.
 *
 * <p>Memory ordering: the kernel publishes {@code producer_pos} with {@code smp_store_release}
 * after reserving, and commits a record by atomically rewriting its header ({@code xchg}, clearing
 * the busy bit); it reads {@code consumer_pos} with {@code smp_load_acquire} before reusing
 * space. The reader pairs with these through {@link java.lang.invoke.VarHandle}s over the mapped
 * buffers: a load-acquire of {@code producer_pos}, a load-acquire of each record header (so the
 * payload read after it sees the committed bytes), and a store-release of {@code consumer_pos}
 * (so no payload read is reordered after the kernel may overwrite it). Plain {@code ByteBuffer}
 * reads would give the JIT freedom to hoist or sink them.
 *
 * <p>Source of truth: {@code kernel/bpf/ringbuf.c} (layout, header bits, ordering) and the
 * consumer protocol in {@code shared/reference/kernel.md} section 5.
 */
package dev.gotrace.probes.ringbuf;
