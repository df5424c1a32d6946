package dev.gotrace.core.query;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.dwarf.PackageVariable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The package variables of one binary as paths see them: {@code main.cfg.Mode} is package
 * {@code main} (the last element of its import path), variable {@code cfg}, field {@code Mode}.
 * Read from DWARF on first use, a package at a time; equal for one binary.
 */
public final class Globals {
  /** No package variables: a binary without DWARF, or a scope built without them. */
  public static final Globals NONE = new Globals(List.of(), false);

  private final GoBinary bin;
  private final Map<String, List<PackageVariable>> byPath = new ConcurrentHashMap<>();
  private volatile List<String> paths;
  private final boolean fixedPie;

  private Globals(GoBinary bin) {
    this.bin = bin;
    this.fixedPie = false;
  }

  private Globals(List<PackageVariable> vars, boolean pie) {
    this.bin = null;
    this.fixedPie = pie;
    for (PackageVariable v : vars) {
      byPath.computeIfAbsent(v.packagePath(), k -> new ArrayList<>()).add(v);
    }
    this.paths = List.copyOf(byPath.keySet());
  }

  /** Exactly {@code vars}, of a binary that is position-independent or not (tests, recorded plans). */
  public static Globals fixed(List<PackageVariable> vars, boolean pie) {
    return new Globals(vars, pie);
  }

  private static final Map<GoBinary, Globals> OF = Collections.synchronizedMap(new WeakHashMap<>());

  /** The package variables of {@code bin} (one instance per binary, so each package is read once). */
  public static Globals of(GoBinary bin) {
    return OF.computeIfAbsent(bin, Globals::new);
  }

  /** A failure to read the DWARF, as a message. */
  public static final class Unreadable extends RuntimeException {
    Unreadable(GoBinaryException e) {
      super(e.getMessage(), e);
    }
  }

  /** Whether the binary has DWARF to read package variables from. */
  public boolean available() {
    return !packagePaths().isEmpty();
  }

  /** Whether the binary is position-independent: its variables move by the load bias. */
  public boolean pie() {
    return bin != null ? bin.isPie() : fixedPie;
  }

  /** The package paths whose last element is {@code name} ("http" → "net/http"). */
  public List<String> packagesNamed(String name) {
    return packagePaths().stream().filter(p -> p.equals(name) || p.endsWith("/" + name)).toList();
  }

  /** The variables of package {@code path}. */
  public List<PackageVariable> variables(String path) {
    if (bin == null) {
      return byPath.getOrDefault(path, List.of());
    }
    return byPath.computeIfAbsent(path, p -> {
      try {
        return bin.packageVariables(p);
      } catch (GoBinaryException e) {
        throw new Unreadable(e);
      }
    });
  }

  /** Variable {@code name} ("cfg") of package {@code path}. */
  public Optional<PackageVariable> variable(String path, String name) {
    return variables(path).stream().filter(v -> v.shortName().equals(name)).findFirst();
  }

  private List<String> packagePaths() {
    List<String> p = paths;
    if (p == null) {
      try {
        p = bin.packagePaths();
      } catch (GoBinaryException e) {
        throw new Unreadable(e);
      }
      paths = p;
    }
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (bin != null && o instanceof Globals g && g.bin == bin);
  }

  @Override
  public int hashCode() {
    return bin != null ? System.identityHashCode(bin) : System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return bin == null ? "Globals.NONE" : "Globals(" + bin.path() + ")";
  }
}
