package dev.gotrace.core.query;

/**
 * The stack bytes the emitted code may use: {@code bytes} from {@code top} (an offset from R10,
 * negative, 8-aligned) upwards. Layout: {@code top+0} a read's landing word (16 bytes when a
 * string header is read at once), {@code +8} a saved operand or pointer, {@code +16} the
 * captured word at an exit ({@link #captured()}), {@code +24} a string's length, {@code +32} a
 * bound, {@code +40} the buffer of string literals compared.
 */
public record Window(int top, int bytes) {
  /** The window without a string buffer. */
  public static final int FIXED = 40;

  public Window {
    if (top >= 0 || top % 8 != 0 || bytes < FIXED || top + bytes > 0 || top < -512) {
      throw new IllegalArgumentException("window of " + bytes + " bytes at fp" + top);
    }
  }

  /** fp offset of the word of captured bits an exit program copies from the in-flight value. */
  public int captured() {
    return top + 16;
  }

  int scratch() {
    return top;
  }

  int saved() {
    return top + 8;
  }

  int length() {
    return top + 24;
  }

  int bound() {
    return top + 32;
  }

  int buffer() {
    return top + FIXED;
  }

  int bufferBytes() {
    return bytes - FIXED;
  }
}
