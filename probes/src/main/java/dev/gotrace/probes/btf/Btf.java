package dev.gotrace.probes.btf;

import dev.gotrace.probes.priv.Feature;
import dev.gotrace.probes.priv.FeatureStatus;
import dev.gotrace.probes.priv.Features;
import dev.gotrace.probes.priv.UnsupportedFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed BTF blob: the type table (type id = 1 + index; id 0 is void) and the string section.
 * Only what member-offset lookups need is kept: kind, name, size/type and the position of each
 * type's extra data.
 */
public final class Btf {
  private static final int MAGIC = 0xEB9F;
  private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

  private final ByteBuffer data;
  private final int strStart;
  private final int strLen;
  /** For each type id (index 0 unused): byte position of its 12-byte record in {@code data}. */
  private final int[] typePos;

  private Btf(ByteBuffer data, int strStart, int strLen, int[] typePos) {
    this.data = data;
    this.strStart = strStart;
    this.strLen = strLen;
    this.typePos = typePos;
  }

  /**
   * The running kernel's BTF; an {@link UnsupportedFeature} ({@link Feature#VMLINUX_BTF}) when the
   * kernel has none.
   */
  public static Btf vmlinux() {
    Features.vmlinuxBtf().require();
    return read(VMLINUX);
  }

  /** The BTF in {@code file}; a missing or unreadable file is kernel BTF that is not available. */
  static Btf read(Path file) {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UnsupportedFeature(List.of(new FeatureStatus(Feature.VMLINUX_BTF, false, Optional.empty(),
          "cannot read " + file + ": " + e.getMessage())), e);
    }
  }

  /** Parses a BTF blob; every structural problem is a BtfException naming the offset. */
  public static Btf parse(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 24) {
      throw new BtfException("BTF: " + bytes.length + " bytes is shorter than the 24-byte header");
    }
    int magic = b.getShort(0) & 0xffff;
    if (magic != MAGIC) {
      throw new BtfException(String.format("BTF: bad magic 0x%04x (want 0xeb9f little-endian)", magic));
    }
    int version = b.get(2) & 0xff;
    if (version != 1) {
      throw new BtfException("BTF: unsupported version " + version);
    }
    long hdrLen = b.getInt(4) & 0xffffffffL;
    long typeOff = b.getInt(8) & 0xffffffffL;
    long typeLen = b.getInt(12) & 0xffffffffL;
    long strOff = b.getInt(16) & 0xffffffffL;
    long strLen = b.getInt(20) & 0xffffffffL;
    long typesStart = hdrLen + typeOff;
    long typesEnd = typesStart + typeLen;
    long strStart = hdrLen + strOff;
    if (hdrLen < 24 || typesEnd > bytes.length || strStart + strLen > bytes.length) {
      throw new BtfException("BTF: header sections (hdr_len " + hdrLen + ", types " + typesStart
          + "+" + typeLen + ", strings " + strStart + "+" + strLen + ") exceed the "
          + bytes.length + "-byte blob");
    }
    List<Integer> pos = new ArrayList<>();
    pos.add(-1);
    long p = typesStart;
    while (p < typesEnd) {
      if (p + 12 > typesEnd) {
        throw new BtfException("BTF: truncated type record at offset " + p);
      }
      int info = b.getInt((int) p + 4);
      int kindId = (info >>> 24) & 0x1f;
      BtfKind kind = BtfKind.of(kindId);
      if (kind == null || kind == BtfKind.UNKNOWN) {
        throw new BtfException("BTF: unknown kind " + kindId + " at offset " + p);
      }
      pos.add((int) p);
      p += 12 + kind.extra(info & 0xffff);
    }
    if (p != typesEnd) {
      throw new BtfException("BTF: type section overruns its length (ends at " + p + ", want "
          + typesEnd + ")");
    }
    int[] arr = pos.stream().mapToInt(Integer::intValue).toArray();
    return new Btf(b, (int) strStart, (int) strLen, arr);
  }

  /** Number of types (ids 1 … count). */
  public int typeCount() {
    return typePos.length - 1;
  }

  String string(int off) {
    if (off < 0 || off >= strLen) {
      throw new BtfException("BTF: string offset " + off + " outside the " + strLen + "-byte section");
    }
    int start = strStart + off;
    int end = start;
    int limit = strStart + strLen;
    while (end < limit && data.get(end) != 0) {
      end++;
    }
    byte[] s = new byte[end - start];
    data.get(start, s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private int pos(int id) {
    if (id <= 0 || id >= typePos.length) {
      throw new BtfException("BTF: type id " + id + " out of range 1.." + typeCount());
    }
    return typePos[id];
  }

  BtfKind kind(int id) {
    return BtfKind.of((data.getInt(pos(id) + 4) >>> 24) & 0x1f);
  }

  String name(int id) {
    return string(data.getInt(pos(id)));
  }

  int vlen(int id) {
    return data.getInt(pos(id) + 4) & 0xffff;
  }

  boolean kindFlag(int id) {
    return (data.getInt(pos(id) + 4) >>> 31) != 0;
  }

  /** size for INT/STRUCT/UNION/ENUM, referenced type for PTR/TYPEDEF/modifiers/VAR/FUNC. */
  int sizeOrType(int id) {
    return data.getInt(pos(id) + 8);
  }

  /** The id of the STRUCT (or UNION) named {@code name} that has members (skips forward decls). */
  public int findStruct(String name) {
    for (int id = 1; id < typePos.length; id++) {
      BtfKind k = kind(id);
      if ((k == BtfKind.STRUCT || k == BtfKind.UNION) && vlen(id) > 0 && name.equals(name(id))) {
        return id;
      }
    }
    throw new BtfException("BTF: no struct " + name);
  }

  /** Follows typedefs and qualifiers to the underlying type id. */
  int resolve(int id) {
    for (int hops = 0; hops < 64; hops++) {
      if (id == 0 || !kind(id).isModifier()) {
        return id;
      }
      id = sizeOrType(id);
    }
    throw new BtfException("BTF: typedef chain too long at type " + id);
  }

  /** The size in bytes of a STRUCT/UNION/INT/ENUM type (after typedefs). */
  public int sizeOf(int id) {
    return sizeOrType(resolve(id));
  }

  /**
   * A member found by name: its type id and byte offset from the start of the struct searched,
   * including the offsets of any anonymous structs and unions it sits in.
   */
  public record Member(int type, long bitOffset, int bitfieldSize) {
    public long byteOffset() {
      return bitOffset / 8;
    }
  }

  /** Finds member {@code name} of struct/union {@code structId}, descending into anonymous members. */
  public Member member(int structId, String name) {
    Member m = memberOrNull(resolve(structId), name, 0);
    if (m == null) {
      throw new BtfException("BTF: " + name(resolve(structId)) + " has no member " + name);
    }
    return m;
  }

  private Member memberOrNull(int id, String name, long base) {
    BtfKind k = kind(id);
    if (k != BtfKind.STRUCT && k != BtfKind.UNION) {
      return null;
    }
    boolean bitfields = kindFlag(id);
    int p = pos(id) + 12;
    for (int i = 0; i < vlen(id); i++, p += 12) {
      int nameOff = data.getInt(p);
      int type = data.getInt(p + 4);
      int raw = data.getInt(p + 8);
      long bitOff = bitfields ? raw & 0xffffff : raw & 0xffffffffL;
      int bitSize = bitfields ? raw >>> 24 : 0;
      if (nameOff == 0) {
        Member inner = memberOrNull(resolve(type), name, base + bitOff);
        if (inner != null) {
          return inner;
        }
      } else if (name.equals(string(nameOff))) {
        return new Member(type, base + bitOff, bitSize);
      }
    }
    return null;
  }

  /**
   * The byte offset of a member path inside a struct, e.g. {@code offsetOf("task_struct",
   * "thread", "fsbase")}; each step may cross anonymous structs and unions.
   */
  public long offsetOf(String struct, String... path) {
    int id = findStruct(struct);
    long bits = 0;
    for (String step : path) {
      Member m = member(id, step);
      if (m.bitfieldSize() != 0) {
        throw new BtfException("BTF: " + struct + "." + String.join(".", path) + ": " + step
            + " is a bitfield");
      }
      bits += m.bitOffset();
      id = resolve(m.type());
    }
    if (bits % 8 != 0) {
      throw new BtfException("BTF: " + struct + "." + String.join(".", path) + " is not byte-aligned");
    }
    return bits / 8;
  }

  /** {@code offsetof(struct task_struct, thread.fsbase)} on this kernel. */
  public long taskStructFsbaseOffset() {
    return offsetOf("task_struct", "thread", "fsbase");
  }

  /** Name of a type (empty for anonymous ones), for messages and tests. */
  public String typeName(int id) {
    return name(resolve(id));
  }
}
