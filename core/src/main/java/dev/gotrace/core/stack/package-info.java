/**
 * Go call stacks: the return addresses a probe's frame-pointer walk collected in the kernel,
 * symbolised from the pclntab the way Go's runtime symbolises its own tracebacks (a return
 * address is looked up at {@code pc - 1}; inlined calls are expanded from the inline tree, the
 * innermost first), and the reason a walk ended.
 */
package dev.gotrace.core.stack;
