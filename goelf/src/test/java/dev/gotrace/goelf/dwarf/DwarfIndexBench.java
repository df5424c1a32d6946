package dev.gotrace.goelf.dwarf;

import java.nio.file.Path;

/**
 * Measures {@link GoDwarf#read} on one binary and prints what the index finds: wall and
 * main-thread CPU time of a cold read, then of {@code -Dn=N} warm reads; then the named
 * functions with their parameters. Not a unit test (timings are not asserted). Run from the
 * repository root after {@code mvn -pl goelf -am test-compile}:
 *
 * <pre>java -cp goelf/target/classes:goelf/target/test-classes dev.gotrace.goelf.dwarf.DwarfIndexBench BIN [FUNC...]</pre>
 *
 * <p>Figures of 2026-11-25 (2-core VM, load average about 9, JDK 17, default heap): cmd/go built
 * by go1.24 (19.5 MB, 5.2 MB of .debug_info, 13,828 functions, 14,639 types) indexes in
 * 0.75-1.06 s cold (0.29-0.32 s of main-thread CPU) and 0.18-0.19 s warm (0.08-0.09 s CPU);
 * the matrix's largest binary (go1.24 amd64 PIE server, 9.6 MB) in 0.32 s cold, 0.19 s warm.
 */
final class DwarfIndexBench {
  public static void main(String[] args) throws Exception {
    Path bin = Path.of(args[0]);
    DwarfSections s = ObjcopySections.load(bin);
    long t0 = System.nanoTime();
    long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    GoDwarf d = GoDwarf.read(s, ObjcopySections.ptrSize(bin));
    long t1 = System.nanoTime();
    System.out.println("info bytes " + s.info().size() + " parse ms " + (t1 - t0) / 1e6 + " cpu ms "
        + (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e6
        + " functions " + d.functions().size() + " types " + d.typeCount());
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < Integer.getInteger("n", 3); i++) {
      t0 = System.nanoTime();
      long c0 = mx.getCurrentThreadCpuTime();
      GoDwarf.read(s, ObjcopySections.ptrSize(bin));
      System.out.println("again ms " + (System.nanoTime() - t0) / 1e6
          + " cpu ms " + (mx.getCurrentThreadCpuTime() - c0) / 1e6);
    }
    System.out.println(d.gLayout());
    d.typeNamed("runtime.g").ifPresent(g -> System.out.println(g.toString().substring(0, Math.min(2000, g.toString().length()))));
    for (int i = 1; i < args.length; i++) {
      d.function(args[i]).ifPresent(f -> System.out.println(Describe.function(f)));
      d.function(args[i]).ifPresent(f -> f.params().forEach(p ->
          System.out.println("  " + p.name() + " " + Describe.type(p.type()) + " result=" + p.result()
              + " entry=" + p.placeAt(f.lowPc()))));
    }
  }
}
