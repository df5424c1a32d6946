/**
 * A running trace: the maps, the loaded program and the uprobe links of one
 * {@link dev.gotrace.core.plan.ProbePlan} (its sites checked by
 * {@link dev.gotrace.core.plan.AttachCheck}, the only way to {@link KernelResources#attachEach}), owned by one {@link java.lang.AutoCloseable} that
 * detaches everything on close, and the loop that turns ring-buffer records into
 * {@link dev.gotrace.core.decode.Event}s. The kernel facts it relies on (uprobe_multi with a
 * cookie per site, closing the link detaches, drops counted per CPU) are in
 * {@code shared/reference/kernel.md} sections 1, 5 and 8.
 */
package dev.gotrace.core.trace;
