/**
 * Raw ring-buffer records to typed {@link dev.gotrace.core.decode.Event}s: pure functions of the
 * record bytes, the {@link dev.gotrace.core.plan.ProbePlan} (cookie to function) and the binary's
 * pclntab (return address to caller function and file:line, looked up at {@code return - 1} as
 * Go's runtime does for return PCs). Record layout: {@link dev.gotrace.core.codegen.CallRecord}.
 *
 * <p>{@link dev.gotrace.core.decode.LaunchDecoder} joins {@code runtime.newproc1}'s entry and
 * exit records ({@link dev.gotrace.core.codegen.LaunchRecord}) into launches.
 */
package dev.gotrace.core.decode;
