/**
 * The reliability suite (issue #9): the real CLI against real Go processes, as root, checking
 * what a user of a production service needs to trust — a killed tracer leaves nothing behind,
 * a target that exits, forks or execs is handled, two tracers coexist, and bad input is refused
 * with one line and the documented exit code. Each test states the behaviour it proves; the
 * 10-minute soak is {@code bench/soak.sh}.
 */
package dev.gotrace.cli.reliability;
