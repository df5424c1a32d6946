/**
 * The live terminal view of {@code gotrace top}: a model of one refresh ({@link
 * dev.gotrace.cli.tui.TopTable}, computed from two successive kernel snapshots of
 * a {@link dev.gotrace.core.trace.Session} read by
 * {@link dev.gotrace.core.spec.LatencySpec#functions}), its layout for a terminal of a given size
 * ({@link dev.gotrace.cli.tui.TopLayout}), and the jline3 screen that draws it and reads keys
 * ({@link dev.gotrace.cli.tui.TopScreen}). Follows jline3's own {@code TTop}: alternate screen,
 * {@code Display} for minimal redraws, redraw on SIGWINCH, terminal restored in {@code close()}.
 */
package dev.gotrace.cli.tui;
