/**
 * {@code gotrace serve CONFIG}: a long-running agent that traces the latency of every running
 * process a YAML file names (by executable file, or by a glob on the process name), attaching as
 * processes start and detaching as they exit, and exports each one through the Prometheus
 * endpoint and OTLP push of module {@code export}. {@link dev.gotrace.cli.serve.ServeConfig} is the
 * file's model, read by {@link dev.gotrace.cli.serve.ConfigReader} from
 * {@link dev.gotrace.cli.serve.YamlTree} (Jackson's YAML streaming parser, every node with its line, so
 * that each error names {@code file:line}); {@link dev.gotrace.cli.serve.ProcessTable} scans
 * {@code /proc} (the source of truth for which processes run which file: {@code /proc/PID/exe}'s
 * device and inode, and {@code /proc/PID/comm}); {@link dev.gotrace.cli.serve.Agent} owns every
 * {@link dev.gotrace.core.trace.Session} on one loop thread.
 */
package dev.gotrace.cli.serve;
