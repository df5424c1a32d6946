/**
 * Go call stacks: the return addresses a probe's frame-pointer walk collected in the kernel,
 * symbolised from the pclntab the way Go's runtime symbolises its own tracebacks (a return
 * address is looked up at {@code pc - 1}; inlined calls are expanded from the inline tree, the
 * innermost first), and the reason a walk ended. {@link dev.gotrace.core.stack.FrameStart} is the
 * plan-time proof of where a walk starts at a site (the pclntab's SP delta, amd64 frame layout
 * per cmd/internal/obj/x86's prologue), {@link dev.gotrace.core.stack.StackTable} the user-space
 * side of the kernel's stack map (one read per new id).
 */
package dev.gotrace.core.stack;
