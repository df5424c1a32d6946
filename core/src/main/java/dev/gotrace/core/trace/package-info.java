/**
 * Running a trace, the same for every command: a {@link dev.gotrace.core.trace.TraceSpec} (maps,
 * programs, probes with cookies, ring buffer, decoder) run by one
 * {@link dev.gotrace.core.trace.Session}, which owns the maps, the loaded programs and the uprobe
 * links (its sites checked by {@link dev.gotrace.core.plan.AttachCheck}, the only way to
 * {@link KernelResources#attachEach}, in links of at most {@link KernelResources#ATTACH_BATCH}
 * sites so that a stop request is seen during a long attach), detaches everything on close, and turns ring-buffer
 * records into {@link dev.gotrace.core.decode.Event}s with losses counted. The same session
 * replays recorded records without root ({@link RecordSource#replay}). The kernel facts it relies
 * on (uprobe_multi with a cookie per site, closing the link detaches, drops counted per CPU) are
 * in {@code shared/reference/kernel.md} sections 1, 5 and 8.
 */
package dev.gotrace.core.trace;
