/**
 * Where the calls come from: latency aggregated per call stack ({@link
 * dev.gotrace.core.profile.StackProfile}) and the three files Go users know how to read, written
 * by gotrace itself with no external tool: folded stacks ({@link dev.gotrace.core.profile.Folded},
 * the one-line-per-stack format of Brendan Gregg's flame-graph scripts and of speedscope), an SVG
 * flame graph ({@link dev.gotrace.core.profile.FlameGraph}) and a pprof profile ({@link
 * dev.gotrace.core.profile.Pprof}, gzip'd protocol buffers as described by pprof's
 * {@code proto/profile.proto}, encoded by {@link dev.gotrace.core.profile.ProtoWriter}).
 */
package dev.gotrace.core.profile;
