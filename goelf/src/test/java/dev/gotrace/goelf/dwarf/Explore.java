package dev.gotrace.goelf.dwarf;

import java.nio.file.Path;

/** Development probe: prints what the index finds in a binary. */
final class Explore {
  public static void main(String[] args) throws Exception {
    Path bin = Path.of(args[0]);
    DwarfSections s = ObjcopySections.load(bin);
    long t0 = System.nanoTime();
    GoDwarf d = GoDwarf.read(s, ObjcopySections.ptrSize(bin));
    long t1 = System.nanoTime();
    System.out.println("info bytes " + s.info().size() + " parse ms " + (t1 - t0) / 1e6
        + " functions " + d.functions().size() + " types " + d.typeCount());
    for (int i = 0; i < Integer.getInteger("n", 3); i++) {
      t0 = System.nanoTime();
      GoDwarf.read(s, ObjcopySections.ptrSize(bin));
      System.out.println("again ms " + (System.nanoTime() - t0) / 1e6);
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
