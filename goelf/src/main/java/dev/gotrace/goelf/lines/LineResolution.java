package dev.gotrace.goelf.lines;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a file:line resolves to.
 *
 * @param files the recorded paths the target's suffix names, sorted (more than one: ambiguous)
 * @param sites the copies of the line's code, by address; empty when the line has no code
 * @param linesWithCode the lines of the named file that have code (for "nearby lines" when none)
 */
public record LineResolution(List<String> files, List<LineSite> sites, SortedSet<Integer> linesWithCode) {
  public LineResolution {
    files = List.copyOf(files);
    sites = List.copyOf(sites);
    linesWithCode = Collections.unmodifiableSortedSet(new TreeSet<>(linesWithCode));
  }

  /** Up to {@code n} lines with code on each side of {@code line}, in order. */
  public List<Integer> nearby(int line, int n) {
    List<Integer> below = List.copyOf(linesWithCode.headSet(line));
    List<Integer> out = new ArrayList<>(below.subList(Math.max(0, below.size() - n), below.size()));
    linesWithCode.tailSet(line + 1).stream().limit(n).forEach(out::add);
    return out;
  }
}
