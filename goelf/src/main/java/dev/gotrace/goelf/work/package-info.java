/**
 * Per-function work spread over the machine's cores with results in input order: reading every
 * function of a large binary (inline trees, probe sites) splits by function, and the output a
 * user sees must not depend on which core finished first. {@link dev.gotrace.goelf.work.Ordered}
 * runs chunks of a list on a small pool of daemon threads and hands the results to the caller's
 * thread chunk by chunk, in order, with a bounded number of chunks in flight.
 */
package dev.gotrace.goelf.work;
