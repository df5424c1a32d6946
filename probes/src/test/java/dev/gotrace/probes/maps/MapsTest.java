package dev.gotrace.probes.maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.priv.Feature;
import dev.gotrace.probes.priv.FeatureStatus;
import dev.gotrace.probes.priv.Features;
import dev.gotrace.probes.priv.KernelVersion;
import dev.gotrace.probes.priv.UnsupportedFeature;
import dev.gotrace.probes.support.FdLeakCheck;
import dev.gotrace.probes.sys.SyscallException;
import dev.gotrace.testdata.TestBinaries;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Map creation and element access against the running kernel (errnos as in kernel.md §1.2). */
@ExtendWith(FdLeakCheck.class)
class MapsTest {

  @Test
  void hashLookupUpdateDeleteIterate() {
    TestBinaries.requireRoot();
    try (BpfMap m = BpfMap.create(MapSpec.hash("h", 8, 8, 16))) {
      TypedMap<Long, Long> t = m.typed(Codec.U64, Codec.U64);
      assertEquals(Optional.empty(), t.lookup(1L));
      t.update(1L, 10L, UpdateFlag.ANY);
      t.update(2L, 20L, UpdateFlag.NOEXIST);
      t.update(1L, 11L, UpdateFlag.EXIST);
      assertEquals(Optional.of(11L), t.lookup(1L));
      assertEquals(Map.of(1L, 11L, 2L, 20L), t.entries());
      assertEquals(new TreeSet<>(List.of(1L, 2L)), new TreeSet<>(t.keys()));
      SyscallException e = assertThrows(SyscallException.class,
          () -> t.update(2L, 0L, UpdateFlag.NOEXIST));
      assertEquals("EEXIST", e.errnoName());
      assertTrue(e.getMessage().startsWith("bpf(BPF_MAP_UPDATE_ELEM) failed: EEXIST"), e.getMessage());
      assertTrue(t.delete(1L));
      assertFalse(t.delete(1L));
      assertEquals(Set.of(2L), Set.copyOf(t.keys()));
    }
  }

  @Test
  void lruHashEvictsInsteadOfFailing() {
    TestBinaries.requireRoot();
    try (BpfMap m = BpfMap.create(MapSpec.lruHash("lru", 4, 8, 64))) {
      TypedMap<Integer, Long> t = m.typed(Codec.U32, Codec.U64);
      for (int i = 0; i < 1000; i++) {
        t.update(i, (long) i, UpdateFlag.ANY);
      }
      int n = t.keys().size();
      assertTrue(n > 0 && n <= 64, "entries " + n);
      assertEquals(Optional.of(999L), t.lookup(999));
    }
  }

  @Test
  void arrayHasEveryIndexAndRefusesDelete() {
    TestBinaries.requireRoot();
    try (BpfMap m = BpfMap.create(MapSpec.array("a", 8, 4))) {
      TypedMap<Integer, Long> t = m.typed(Codec.U32, Codec.U64);
      assertEquals(Optional.of(0L), t.lookup(3));
      t.update(3, 33L, UpdateFlag.ANY);
      assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L, 3, 33L), t.entries());
      SyscallException e = assertThrows(SyscallException.class, () -> t.delete(0));
      assertEquals("EINVAL", e.errnoName());
      assertEquals(Optional.empty(), m.lookup(new byte[] {4, 0, 0, 0}));
    }
  }

  @Test
  void perCpuArraySumsOverPossibleCpus() {
    TestBinaries.requireRoot();
    try (BpfMap m = BpfMap.create(MapSpec.perCpuArray("pc", 4, 2))) {
      TypedMap<Integer, Integer> t = m.typed(Codec.U32, Codec.U32);
      assertEquals(PossibleCpus.count() * 8, m.valueBufferSize());
      t.update(1, 5, UpdateFlag.ANY); // the same value on every CPU
      List<Integer> per = t.lookupPerCpu(1).orElseThrow();
      assertEquals(PossibleCpus.count(), per.size());
      assertEquals(5L * PossibleCpus.count(), t.sum(1, Integer::longValue));
      byte[] raw = m.lookup(new byte[4]).orElseThrow();
      assertArrayEquals(new byte[m.valueBufferSize()], raw);
    }
  }

  @Test
  void kernelRefusalsNameTheErrno() {
    TestBinaries.requireRoot();
    // LRU hash with BPF_F_NO_PREALLOC: the kernel answers ENOTSUPP (524), kernel.md §1.1
    SyscallException e = assertThrows(SyscallException.class,
        () -> BpfMap.create(new MapSpec("lru", MapType.LRU_HASH, 4, 8, 8, 1)).close());
    assertEquals("ENOTSUPP", e.errnoName());
    assertTrue(e.getMessage().contains("BPF_MAP_CREATE"), e.getMessage());
  }

  @Test
  void specRulesAreCheckedBeforeTheKernel() {
    assertThrows(IllegalArgumentException.class, () -> MapSpec.hash("bad-name", 8, 8, 1));
    assertThrows(IllegalArgumentException.class, () -> MapSpec.hash("sixteen_chars_xx", 8, 8, 1));
    assertThrows(IllegalArgumentException.class, () -> MapSpec.ringBuf("rb", 3 * 4096));
    assertThrows(IllegalArgumentException.class, () -> new MapSpec("a", MapType.ARRAY, 8, 8, 1, 0));
  }

  /** A kernel before 5.8 (forced through the feature probe): no ring buffer, said as a missing feature. */
  @Test
  void ringBufferOnAKernelWithoutThemIsAnUnsupportedFeature() {
    FeatureStatus old = FeatureStatus.absent(Feature.RING_BUFFER, KernelVersion.parse("5.4.0"), "");
    try (Features.Assumption a = Features.assume(old)) {
      UnsupportedFeature e = assertThrows(UnsupportedFeature.class, () -> BpfMap.create(MapSpec.ringBuf("rb", 4096)));
      assertEquals(Feature.RING_BUFFER, e.feature());
      assertEquals("BPF ring buffers not supported (requires Linux >= 5.8, running 5.4.0)", e.getMessage());
    }
  }

  @Test
  void possibleCpuListsParse() {
    assertEquals(2, PossibleCpus.parse("0-1\n"));
    assertEquals(1, PossibleCpus.parse("0"));
    assertEquals(8, PossibleCpus.parse("0,2-5,7"));
  }

  @Test
  void contentsReadsEveryEntryOfPerCpuArraysAndHashesInBatches() {
    TestBinaries.requireRoot();
    int cpus = PossibleCpus.count();
    // 5000 entries: more than one batch of 4096
    try (BpfMap a = BpfMap.create(MapSpec.perCpuArray("pa", 16, 5000));
        BpfMap h = BpfMap.create(MapSpec.lruHash("lh", 16, 16, 8192))) {
      for (int i = 0; i < 5000; i += 7) {
        java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate(a.valueBufferSize()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < cpus; c++) {
          v.putLong(c * 16, i + c).putLong(c * 16 + 8, 1);
        }
        a.update(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, i).array(), v.array(), UpdateFlag.ANY);
      }
      MapContents ac = a.contents();
      assertEquals(5000, ac.size());
      assertEquals(cpus, ac.cpus());
      long written = 0;
      for (int e = 0; e < ac.size(); e++) {
        int k = ac.keyU32(e);
        long expect = k % 7 == 0 ? (long) k * cpus + (long) cpus * (cpus - 1) / 2 : 0;
        assertEquals(expect, ac.sumU64(e, 0), "index " + k);
        written += ac.sumU64(e, 8);
      }
      assertEquals((5000 + 6) / 7 * cpus, written);
      for (int i = 0; i < 4500; i++) {
        byte[] key = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, i).array();
        byte[] val = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(8, i * 3L).array();
        h.update(key, val, UpdateFlag.ANY);
      }
      MapContents hc = h.contents();
      assertEquals(4500, hc.size());
      Set<Long> seen = new TreeSet<>();
      for (int e = 0; e < hc.size(); e++) {
        long v = hc.valueU64(e, 0, 8);
        assertEquals(0, v % 3);
        seen.add(v / 3);
        // the key read back is the one the value was stored under
        assertEquals(v / 3, java.nio.ByteBuffer.wrap(hc.key(e)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0));
      }
      assertEquals(4500, seen.size());
    }
  }

  @Test
  void anMmapableArrayReadsWhatWasWrittenWithoutASystemCallPerValue() {
    TestBinaries.requireRoot();
    // 3 pages and a bit: 1300 values of 12 bytes laid out every 16
    try (BpfMap a = BpfMap.create(MapSpec.mmapableArray("mm", 12, 1300))) {
      for (int i = 0; i < 1300; i += 3) {
        byte[] key = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, i).array();
        byte[] val = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, 1000L + i).array();
        a.update(key, val, UpdateFlag.ANY);
      }
      MappedArray m = a.mapped();
      assertEquals(1300, m.entries());
      for (int i = 0; i < 1300; i++) {
        assertEquals(i % 3 == 0 ? 1000L + i : 0, m.u64(i, 0), "value " + i);
      }
      byte[] last = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 1299).array();
      a.update(last, java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, 7).array(),
          UpdateFlag.ANY);
      assertEquals(7, m.u64(1299, 0), "the mapping sees later updates");
      assertSame(m, a.mapped());
      assertThrows(IndexOutOfBoundsException.class, () -> m.u64(1300, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> m.u64(0, 8), "a u64 at 8 overruns a 12-byte value");
    }
    assertThrows(IllegalArgumentException.class, () -> new MapSpec("x", MapType.PERCPU_ARRAY, 4, 8, 1,
        MapSpec.F_MMAPABLE));
  }
}
