package dev.gotrace.core.profile;

import dev.gotrace.core.agg.Durations;
import dev.gotrace.core.stack.Frame;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An SVG flame graph of a {@link StackProfile}, drawn by gotrace: the layout of Brendan Gregg's
 * flame graphs (the root at the bottom, each frame above its caller, as wide as its share of the
 * weight, siblings in alphabetical order so that equal stacks line up), {@link Weight#CALLS} or
 * {@link Weight#TIME}. Every frame is a {@code <g>} with a {@code <title>} (the tooltip: the
 * function, "inlined" for an inlined call, its calls and time and their shares) and a rect,
 * labelled when the name fits. Colours are a hash of the name: warm for functions, blue-green for
 * inlined calls, grey for the bracketed frame of a cut stack. Frames narrower than
 * {@value #MIN_WIDTH} px are left out (their share is in their caller). The document is XML
 * 1.0: names are escaped, characters XML forbids become U+FFFD.
 */
public final class FlameGraph {
  static final double WIDTH = 1200, FRAME_HEIGHT = 16, PAD = 10, TOP = 44, BOTTOM = 24, FONT_SIZE = 12,
      CHAR_WIDTH = 0.59 * FONT_SIZE, MIN_WIDTH = 0.1;

  private FlameGraph() {}

  /** One frame of the merged tree: a function at one depth below one path of callers. */
  private static final class Node {
    final String name;
    final boolean inlined;
    final boolean cut;
    long calls;
    long ns;
    final Map<String, Node> children = new TreeMap<>();

    Node(String name, boolean inlined, boolean cut) {
      this.name = name;
      this.inlined = inlined;
      this.cut = cut;
    }

    long weight(Weight w) {
      return w == Weight.CALLS ? calls : ns;
    }

    int depth() {
      int d = 0;
      for (Node c : children.values()) {
        d = Math.max(d, c.depth());
      }
      return d + 1;
    }
  }

  /** Writes the flame graph of {@code profile}, titled {@code title}, weighted by {@code weight}. */
  public static void write(StackProfile profile, Weight weight, String title, Writer out) throws IOException {
    Node root = new Node("all", false, false);
    for (StackProfile.Sample s : profile.samples()) {
      root.calls += s.calls();
      root.ns += s.totalNs();
      Node at = root;
      for (Node step : path(s)) {
        String key = (step.inlined ? "1" : "0") + step.name;
        Node child = at.children.computeIfAbsent(key, k -> step);
        child.calls += s.calls();
        child.ns += s.totalNs();
        at = child;
      }
    }
    int depth = root.depth();
    double height = TOP + depth * FRAME_HEIGHT + BOTTOM;
    StringBuilder b = new StringBuilder();
    b.append("<?xml version=\"1.0\" standalone=\"no\"?>\n");
    b.append("<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(num(WIDTH))
        .append("\" height=\"").append(num(height)).append("\" viewBox=\"0 0 ").append(num(WIDTH)).append(' ')
        .append(num(height)).append("\" font-family=\"Verdana, sans-serif\" font-size=\"").append(num(FONT_SIZE))
        .append("\">\n");
    b.append("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#f8f8f0\"/>\n");
    b.append("<text x=\"").append(num(WIDTH / 2)).append("\" y=\"20\" text-anchor=\"middle\" font-size=\"16\">")
        .append(escape(title)).append("</text>\n");
    b.append("<text x=\"").append(num(WIDTH / 2)).append("\" y=\"36\" text-anchor=\"middle\" fill=\"#555\">")
        .append(escape("width: " + (weight == Weight.CALLS ? "calls" : "time in the calls") + "; "
            + root.calls + " calls, " + duration(root.ns) + "; hover a frame for its numbers"))
        .append("</text>\n");
    long total = root.weight(weight);
    if (total > 0) {
      draw(b, root, root, weight, PAD, WIDTH - 2 * PAD, height - BOTTOM - FRAME_HEIGHT, total);
    }
    b.append("</svg>\n");
    out.write(b.toString());
    out.flush();
  }

  /** A sample's frames as fresh nodes, outermost first; a cut stack starts with its bracketed reason. */
  private static List<Node> path(StackProfile.Sample s) {
    List<Node> out = new ArrayList<>();
    StackProfile.cutFrame(s.stack()).ifPresent(c -> out.add(new Node(c, false, true)));
    List<Frame> frames = s.stack().frames();
    for (int i = frames.size() - 1; i >= 0; i--) {
      out.add(new Node(frames.get(i).function(), frames.get(i).inlined(), false));
    }
    if (frames.isEmpty()) {
      out.add(new Node(s.function(), false, false));
    }
    return out;
  }

  private static void draw(StringBuilder b, Node n, Node root, Weight weight, double x, double width, double y,
      long total) {
    if (width < MIN_WIDTH) {
      return;
    }
    String tip = n.name + (n.inlined ? " (inlined)" : "") + ": " + n.calls + " call" + (n.calls == 1 ? "" : "s")
        + " (" + percent(n.calls, root.calls) + "), " + duration(n.ns) + " (" + percent(n.ns, root.ns) + ")";
    b.append("<g><title>").append(escape(tip)).append("</title><rect x=\"").append(num(x)).append("\" y=\"")
        .append(num(y)).append("\" width=\"").append(num(width)).append("\" height=\"")
        .append(num(FRAME_HEIGHT - 1)).append("\" rx=\"2\" fill=\"").append(color(n)).append("\"/>");
    int fits = (int) ((width - 6) / CHAR_WIDTH);
    if (fits >= 3) {
      String label = n.name.length() <= fits ? n.name : n.name.substring(0, fits - 2) + "..";
      b.append("<text x=\"").append(num(x + 3)).append("\" y=\"").append(num(y + FRAME_HEIGHT - 4.5)).append("\">")
          .append(escape(label)).append("</text>");
    }
    b.append("</g>\n");
    double cx = x;
    for (Node c : n.children.values()) {
      double w = width * c.weight(weight) / Math.max(1, n.weight(weight));
      draw(b, c, root, weight, cx, w, y - FRAME_HEIGHT, total);
      cx += w;
    }
  }

  private static String color(Node n) {
    if (n.cut) {
      return "rgb(190,190,190)";
    }
    int h = n.name.hashCode();
    double v1 = ((h >>> 0) & 0xff) / 255.0;
    double v2 = ((h >>> 8) & 0xff) / 255.0;
    double v3 = ((h >>> 16) & 0xff) / 255.0;
    if (n.inlined) {
      return "rgb(" + (int) (50 + 60 * v1) + "," + (int) (170 + 60 * v2) + "," + (int) (170 + 60 * v3) + ")";
    }
    return "rgb(" + (int) (205 + 50 * v1) + "," + (int) (230 * v2) + "," + (int) (55 * v3) + ")";
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "0%" : fixed(100.0 * part / whole, 1) + "%";
  }

  private static String duration(long ns) {
    return Durations.text(ns);
  }

  private static String fixed(double v, int decimals) {
    return Durations.fixed(v, decimals);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.2f", v).replaceAll("\\.?0+$", "");
  }

  /** Text for XML character data and attributes: escaped, with characters XML 1.0 forbids replaced. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xd7ff)
              || (c >= 0xe000 && c <= 0xfffd) || Character.isSurrogate(c) && validSurrogate(s, i);
          b.append(allowed ? c : '\ufffd');
        }
      }
    }
    return b.toString();
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
