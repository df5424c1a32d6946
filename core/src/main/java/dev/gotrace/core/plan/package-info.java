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
 *
 * <p>Source lines ({@code funcs} and {@code args}): {@link dev.gotrace.core.plan.LinePlanner} takes
 * the targets {@code FILE.go:N} and {@code FUNC+N} out of the patterns and resolves each through
 * the pclntab ({@code goelf.lines}) to one {@link dev.gotrace.core.plan.LineProbe} per copy of the
 * line's code, refusing a line without code (naming nearby lines with some) or an ambiguous file;
 * {@code args} probes each with a LINE block of the parameters and locals live there.
 *
 * <p>{@code gotrace latency}: {@link dev.gotrace.core.plan.LatencyPlanner} adds to each entry site
 * every exit instruction of its function (never a uretprobe). {@code gotrace goroutines}: {@link
 * dev.gotrace.core.plan.LaunchPlanner} plans {@code runtime.newproc1}, which every {@code go}
 * statement reaches through {@code runtime.newproc} on the system stack. Its parameter locations
 * follow {@code runtime/proc.go} of each release (Go 1.15–1.17: {@code fn, argp, narg, callergp,
 * callerpc}; 1.18–1.22: {@code fn, callergp, callerpc}; 1.23+: {@code fn, callergp, callerpc,
 * parked, waitreason}; always returning the new {@code *g}) and Go's internal ABI; DWARF, when the
 * binary has it, gives the inputs for any Go version (the result placed by the ABI where the ABI
 * agrees with DWARF's inputs); without DWARF the table row of the binary's version is used only
 * after {@link dev.gotrace.core.plan.NewprocCode} found it in the code of {@code
 * runtime.newproc.func1}, and an unknown version is refused. {@link
 * dev.gotrace.core.plan.ExitPlanner} plans {@code runtime.goexit1} for {@code --exits}.
 *
 * <p>{@code --where}: {@link dev.gotrace.core.plan.EntryQuery} is the condition of {@code funcs} and
 * {@code args}, compiled by {@code core/query} for each traced function and grouped; {@link
 * dev.gotrace.core.plan.LaunchFilter} that of {@code goroutines}, on the launched function's name,
 * turned at plan time into the PC ranges of the functions that pass.
 */
package dev.gotrace.core.plan;
