/**
 * Which processes to trace: every process running a binary (uprobes on the file cover later ones
 * too), given PIDs (the binary at the path {@code /proc/PID/exe} names when that opens the same
 * file here, else read through {@code /proc/PID/root} and {@code /proc/PID/exe}, so processes in
 * other mount namespaces work; a zombie, state Z in {@code /proc/PID/stat}, has exited), a
 * command launched held at a gate until the probes are attached, or the one running Go process
 * whose binary has functions matching the patterns (found by scanning {@code /proc/*}/exe;
 * several are listed with their command lines). Source of truth: proc(5).
 */
package dev.gotrace.core.target;
