/**
 * JDK Flight Recorder recordings of what gotrace traced ({@code --jfr FILE}), written through the
 * JDK's own {@code jdk.jfr} API: custom event types {@code gotrace.GoCall},
 * {@code gotrace.GoroutineLaunch} and {@code gotrace.LatencySummary} (category "Go"), each placed
 * on the recording's timeline at the time of the call in the traced process, not the time gotrace
 * read it (see {@link dev.gotrace.cli.jfr.JfrRecorder} for how, and the README for why).
 */
package dev.gotrace.cli.jfr;
