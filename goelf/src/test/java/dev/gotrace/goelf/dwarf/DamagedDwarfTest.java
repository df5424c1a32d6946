package dev.gotrace.goelf.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Damaged DWARF: specific corruptions of real sections, and seeded random mutations, after
 * which only the four {@link GoBinaryException} kinds may escape, and never through the entry
 * point's safety net for unchecked exceptions (which would mean a parser missed a check).
 */
class DamagedDwarfTest {
  private static final int[] INTERESTING = {0, 1, 0x7f, 0x80, 0xff, 0x2e, 0x05};

  @Test
  void randomMutationsOfSyntheticSections() {
    fuzz(Synthetic.v5(), 0x5eed1L, 2500, 8);
    fuzz(Synthetic.v4Dwarf64(), 0x5eed2L, 1000, 8);
  }

  @Test
  void randomMutationsOfRealSections() throws Exception {
    TestBinary b = realServer();
    Map<String, byte[]> m = firstUnits(ObjcopySections.raw(b.path()), 48 << 10);
    fuzz(m, 0x5eed3L, 1500, Words.of(b));
  }

  @Test
  void truncatedRealInfoIsCorrupt() throws Exception {
    TestBinary b = realServer();
    Map<String, byte[]> m = new HashMap<>(ObjcopySections.raw(b.path()));
    byte[] info = m.get(".debug_info");
    // Cut inside the first unit: its length field now runs past the end.
    m.put(".debug_info", Arrays.copyOf(info, Math.min(info.length - 1, 1000)));
    CorruptBinaryException e = assertThrows(CorruptBinaryException.class,
        () -> GoDwarf.read(ObjcopySections.of(m, b.path()), Words.of(b)));
    assertEquals(".debug_info", e.section());
    assertEquals(0, e.offset());
    assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    assertEquals(b.path(), e.file());
  }

  @Test
  void realAbbrevWithUnknownCodeIsCorrupt() throws Exception {
    TestBinary b = realServer();
    Map<String, byte[]> m = new HashMap<>(ObjcopySections.raw(b.path()));
    byte[] abbrev = m.get(".debug_abbrev").clone();
    abbrev[0] = 0x7f; // renumber the first abbreviation, which the first unit's root DIE uses
    m.put(".debug_abbrev", abbrev);
    CorruptBinaryException e = assertThrows(CorruptBinaryException.class,
        () -> GoDwarf.read(ObjcopySections.of(m, b.path()), Words.of(b)));
    assertEquals(".debug_info", e.section());
    assertTrue(e.getMessage().contains("unknown abbreviation code"), e.getMessage());
  }

  private static TestBinary realServer() {
    List<TestBinary> all = TestBinaries.where(t -> t.program().equals("server") && t.variant().equals("default"));
    assertTrue(!all.isEmpty(), "no server binary in the matrix");
    return all.get(all.size() - 1);
  }

  /** The sections with .debug_info cut after the whole units that fit in {@code limit} bytes. */
  static Map<String, byte[]> firstUnits(Map<String, byte[]> raw, int limit) {
    byte[] info = raw.get(".debug_info");
    ByteBuffer bb = ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN);
    int end = 0;
    while (end + 4 <= info.length) {
      long len = bb.getInt(end) & 0xffffffffL;
      long next = end + 4 + len;
      if (next > limit && end > 0 || next > info.length) {
        break;
      }
      end = (int) next;
    }
    Map<String, byte[]> m = new HashMap<>(raw);
    m.put(".debug_info", Arrays.copyOf(info, end));
    return m;
  }

  static void fuzz(Map<String, byte[]> seed, long seedValue, int rounds, int ptrSize) {
    Random rnd = new Random(seedValue);
    List<String> names = seed.keySet().stream().filter(n -> !n.equals(".debug_line")).sorted().toList();
    int corrupt = 0;
    for (int round = 0; round < rounds; round++) {
      Map<String, byte[]> m = new HashMap<>(seed);
      int edits = 1 + rnd.nextInt(4);
      StringBuilder what = new StringBuilder();
      for (int e = 0; e < edits; e++) {
        String name = names.get(rnd.nextInt(names.size()));
        byte[] b = mutate(m.get(name), rnd, what.append(name).append(' '));
        m.put(name, b);
      }
      try {
        GoDwarf d = GoDwarf.read(ObjcopySections.of(m, SyntheticDwarfTest.FILE), ptrSize);
        d.functions().forEach(f -> f.params().forEach(p -> p.placeAt(f.lowPc())));
      } catch (CorruptBinaryException e) {
        corrupt++;
        if (e.getMessage().contains("malformed DWARF:")) {
          fail("round " + round + " (" + what + "): unchecked exception reached the safety net", e);
        }
      } catch (GoBinaryException e) {
        corrupt++;
      } catch (Throwable t) {
        fail("round " + round + " (" + what + "): " + t, t);
      }
    }
    assertTrue(corrupt > rounds / 10, "mutations should mostly be detected: " + corrupt + "/" + rounds);
  }

  private static byte[] mutate(byte[] in, Random rnd, StringBuilder what) {
    if (in.length == 0) {
      return in;
    }
    int at = rnd.nextInt(in.length);
    switch (rnd.nextInt(5)) {
      case 0 -> {
        what.append("flip@").append(at).append("; ");
        byte[] b = in.clone();
        b[at] ^= (byte) (1 << rnd.nextInt(8));
        return b;
      }
      case 1 -> {
        what.append("set@").append(at).append("; ");
        byte[] b = in.clone();
        b[at] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
        return b;
      }
      case 2 -> {
        what.append("truncate@").append(at).append("; ");
        return Arrays.copyOf(in, at);
      }
      case 3 -> {
        what.append("random@").append(at).append("; ");
        byte[] b = in.clone();
        b[at] = (byte) rnd.nextInt(256);
        return b;
      }
      default -> {
        what.append("u32@").append(at).append("; ");
        byte[] b = in.clone();
        int v = rnd.nextBoolean() ? -1 : rnd.nextInt();
        for (int i = 0; i < 4 && at + i < b.length; i++) {
          b[at + i] = (byte) (v >> (8 * i));
        }
        return b;
      }
    }
  }
}
