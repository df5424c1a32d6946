/**
 * Each command's plan as a {@link dev.gotrace.core.trace.TraceSpec}: the maps, the generated
 * programs with their probes and cookies, the ring buffer and the decoder of its records. Pure
 * values built without root (the programs are the golden-tested listings of {@code codegen});
 * {@link dev.gotrace.core.trace.Session} runs any of them. Adding a command means a planner, a
 * spec here (a program and a decoder) and a renderer.
 */
package dev.gotrace.core.spec;
