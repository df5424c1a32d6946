/**
 * Raw ring-buffer records to typed {@link dev.gotrace.core.decode.Event}s: pure functions of the
 * record bytes, the {@link dev.gotrace.core.plan.ProbePlan} (cookie to function) and the binary's
 * pclntab (return address to caller function and file:line, looked up at {@code return - 1} as
 * Go's runtime does for return PCs). Record layout: {@link dev.gotrace.core.codegen.CallRecord}.
 */
package dev.gotrace.core.decode;
