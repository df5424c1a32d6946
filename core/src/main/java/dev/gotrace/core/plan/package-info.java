/**
 * What to probe, decided before anything touches the kernel: a {@link dev.gotrace.core.plan.ProbePlan}
 * built from a {@link dev.gotrace.goelf.GoBinary} and the user's name patterns. One site per
 * matched function at its probe entry (the first instruction after the stack-check prologue,
 * validated as an instruction boundary, given as a file offset), the cookie of each site being
 * its index in the plan, and the recipe for reaching the goroutine ({@code g} in R14 for the
 * register ABI on amd64, else through the thread pointer, per DESIGN.md "Go facts" 3 and 4).
 * Refusals are {@link dev.gotrace.core.plan.PlanException}s carrying a hint; what the user should
 * know but does not stop tracing is a {@link dev.gotrace.core.plan.Note}, a value that later
 * stages test by kind and only the CLI puts into words. Whatever a planner
 * computed, {@link dev.gotrace.core.plan.AttachCheck} checks every address once more right before
 * attach (inside a pclntab function, an instruction boundary of the decode from its entry, in step
 * with its pclntab tables, at the file offset the program headers give); the tracers attach only
 * what passed it.
 */
package dev.gotrace.core.plan;
