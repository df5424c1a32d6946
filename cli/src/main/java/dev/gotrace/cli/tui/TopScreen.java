package dev.gotrace.cli.tui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.gotrace.cli.render.RowFilter;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The live view on a jline {@link Terminal}, as jline's {@code TTop} does it: raw mode, the
 * alternate screen, the cursor hidden, a {@link Display} that rewrites only what changed, a
 * redraw on SIGWINCH; {@link #close()} puts every one of those back (called in {@code finally},
 * so also after Ctrl-C, which ends the JVM through the shutdown hook that waits for it).
 *
 * <p>Keys: {@code <} and {@code >} move the sort column, {@code 1}..{@code 8} pick it, {@code r}
 * reverses, {@code p} or space pauses the numbers, {@code q} (or Ctrl-D) quits; Ctrl-C quits too
 * (through jline's SIGINT handler) and is reported by {@link #interrupted()}.
 */
public final class TopScreen implements AutoCloseable {
  private final Terminal terminal;
  private final Attributes saved;
  private final Terminal.SignalHandler previousWinch;
  private final Terminal.SignalHandler previousInt;
  private final Display display;
  private final AtomicBoolean resized = new AtomicBoolean();
  private final RowFilter filter;
  private TopLayout.State state = TopLayout.State.DEFAULT;
  private TopTable last;
  private volatile boolean quit;
  private volatile boolean interrupted;
  private boolean closed;

  /** Takes over {@code terminal}: raw mode, alternate screen, hidden cursor; every function listed. */
  public TopScreen(Terminal terminal) {
    this(terminal, RowFilter.EVERY);
  }

  /** As {@link #TopScreen(Terminal)}, listing the functions {@code filter} shows. */
  public TopScreen(Terminal terminal, RowFilter filter) {
    this(terminal, filter, TopColumn.CALLS);
  }

  /** As {@link #TopScreen(Terminal, RowFilter)}, sorted by {@code sort} at first. */
  public TopScreen(Terminal terminal, RowFilter filter, TopColumn sort) {
    this.state = new TopLayout.State(sort, false, false);
    this.terminal = terminal;
    this.filter = filter;
    this.saved = terminal.enterRawMode();
    this.previousWinch = terminal.handle(Terminal.Signal.WINCH, s -> resized.set(true));
    // Ctrl-C quits like q, so that the screen is restored before the JVM exits
    this.previousInt = terminal.handle(Terminal.Signal.INT, s -> {
      interrupted = true;
      quit = true;
    });
    terminal.puts(Capability.enter_ca_mode);
    terminal.puts(Capability.keypad_xmit);
    terminal.puts(Capability.cursor_invisible);
    terminal.writer().flush();
    this.display = new Display(terminal, true);
    Size size = terminal.getSize();
    display.resize(size.getRows(), size.getColumns());
    display.clear();
  }

  public TopLayout.State state() {
    return state;
  }

  /** Whether {@code q} or Ctrl-C was pressed. */
  public boolean quit() {
    return quit;
  }

  /** Whether the view ended on Ctrl-C (SIGINT). */
  public boolean interrupted() {
    return interrupted;
  }

  /** Draws {@code table} (kept while paused: the frozen numbers stay, keys and resizes still work). */
  public void show(TopTable table) {
    if (!state.paused() || last == null) {
      last = table;
    }
    redraw();
  }

  /** Draws the last table again, at the terminal's current size. */
  public void redraw() {
    if (last == null) {
      return;
    }
    Size size = terminal.getSize();
    if (resized.getAndSet(false)) {
      display.clear();
    }
    display.resize(size.getRows(), size.getColumns());
    List<AttributedString> lines = TopLayout.screen(last, state, size.getColumns(), size.getRows(), filter);
    display.update(lines, -1);
    terminal.flush();
  }

  /** Whether the terminal changed size since the last redraw. */
  public boolean resizedSinceRedraw() {
    return resized.get();
  }

  /**
   * Reads the keys typed within {@code timeoutMs} (waiting only for the first) and applies them;
   * returns true when one changed what is shown (the caller then redraws).
   */
  public boolean readKeys(long timeoutMs) {
    NonBlockingReader reader = terminal.reader();
    boolean changed = false;
    try {
      int c = reader.read(timeoutMs);
      while (c >= 0) {
        changed |= key(c);
        c = reader.read(1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return changed || resized.get();
  }

  /** Applies one key; true when the view changed. */
  boolean key(int c) {
    TopColumn[] cols = TopColumn.values();
    TopColumn sort = state.sort();
    switch (c) {
      case 'q', 'Q', 4 -> quit = true;
      case 3 -> {
        interrupted = true;
        quit = true;
      }
      case 'r', 'R' -> state = new TopLayout.State(sort, !state.reversed(), state.paused());
      case 'p', 'P', ' ' -> state = new TopLayout.State(sort, state.reversed(), !state.paused());
      case '<', ',' -> state = new TopLayout.State(cols[(sort.ordinal() + cols.length - 1) % cols.length],
          state.reversed(), state.paused());
      case '>', '.' -> state = new TopLayout.State(cols[(sort.ordinal() + 1) % cols.length], state.reversed(),
          state.paused());
      default -> {
        if (c >= '1' && c < '1' + cols.length) {
          state = new TopLayout.State(cols[c - '1'], state.reversed(), state.paused());
        } else {
          return false;
        }
      }
    }
    return true;
  }

  /** Leaves the alternate screen, shows the cursor and restores the terminal's modes. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    terminal.puts(Capability.exit_attribute_mode);
    terminal.puts(Capability.cursor_normal);
    terminal.puts(Capability.keypad_local);
    terminal.puts(Capability.exit_ca_mode);
    terminal.flush();
    terminal.setAttributes(saved);
    terminal.handle(Terminal.Signal.WINCH, previousWinch);
    terminal.handle(Terminal.Signal.INT, previousInt);
  }
}
