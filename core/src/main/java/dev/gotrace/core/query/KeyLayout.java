package dev.gotrace.core.query;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a {@code --by} key, little-endian: {@code [u32 function index][u32 unreadable
 * bits: bit i = part i could not be read][parts…]}, each part 8-byte aligned ({@link KeyPart}).
 * Without {@code --by} there are no parts and the key is the 8-byte header.
 */
public record KeyLayout(List<KeyPart> parts, int keyBytes) {
  /** The header: function index and unreadable bits. */
  public static final int HEADER = 8;
  /** Offset of the unreadable bits in the key. */
  public static final int UNREADABLE = 4;
  /** The largest key the kernel map takes from gotrace. */
  public static final int MAX_SIZE = 200;

  public KeyLayout {
    parts = List.copyOf(parts);
  }

  public static KeyLayout none(int keyBytes) {
    return new KeyLayout(List.of(), keyBytes);
  }

  /** The key's size in bytes. */
  public int size() {
    return parts.isEmpty() ? HEADER : parts.get(parts.size() - 1).offset() + parts.get(parts.size() - 1).size();
  }

  public boolean isEmpty() {
    return parts.isEmpty();
  }

  /** The parts written at one side. */
  public List<KeyPart> side(boolean atExit) {
    return parts.stream().filter(p -> p.atExit() == atExit).toList();
  }

  /** The function index of a key. */
  public static int function(byte[] key) {
    return ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
  }

  /** The parts of {@code key}, in {@code --by} order. */
  public List<KeyValue> decode(byte[] key) {
    if (key.length < size()) {
      throw new IllegalArgumentException("key of " + key.length + " bytes, layout of " + size());
    }
    ByteBuffer b = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN);
    int unreadable = b.getInt(UNREADABLE);
    List<KeyValue> out = new ArrayList<>();
    for (KeyPart p : parts) {
      if ((unreadable & (1 << p.index())) != 0) {
        out.add(new KeyValue.Unreadable());
        continue;
      }
      long w = b.getLong(p.offset());
      out.add(switch (p.kind()) {
        case INT -> new KeyValue.IntKey(w);
        case UINT -> new KeyValue.UintKey(w);
        case BOOL -> new KeyValue.BoolKey(w != 0);
        case FLOAT -> new KeyValue.FloatKey(floatOf(p, w));
        case STRING -> string(key, p, w);
      });
    }
    return out;
  }

  private static double floatOf(KeyPart p, long bits) {
    if (p.source() instanceof KeyPart.Value v && v.value().type().size() == 4) {
      return Float.intBitsToFloat((int) bits);
    }
    return Double.longBitsToDouble(bits);
  }

  private KeyValue string(byte[] key, KeyPart p, long length) {
    int kept = Long.compareUnsigned(length, keyBytes) <= 0 ? (int) length : keyBytes; // as the probe copied
    byte[] bytes = java.util.Arrays.copyOfRange(key, p.offset() + 8, p.offset() + 8 + kept);
    boolean cut = Long.compareUnsigned(length, keyBytes) > 0;
    return new KeyValue.StringKey(utf8(bytes, cut), length, cut);
  }

  /** The bytes as UTF-8; when cut, a character cut at the end is dropped; invalid bytes become U+FFFD. */
  static String utf8(byte[] bytes, boolean cut) {
    int n = bytes.length;
    if (cut) {
      for (int back = 1; back <= 3 && n - back >= 0; back++) {
        int c = bytes[n - back] & 0xff;
        if ((c & 0xc0) == 0xc0) { // a lead byte: complete only if its sequence fits
          int need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
          if (back < need) {
            n -= back;
          }
          break;
        }
        if ((c & 0x80) == 0) {
          break;
        }
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes, 0, n)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException(e); // REPLACE does not throw
    }
  }
}
