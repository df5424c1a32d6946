package dev.gotrace.goelf.buildinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModInfoTest {
  @Test
  void parsesModulesReplacementsAndQuotedSettings() {
    String text = String.join("\n",
        "path\texample.com/cmd/server",
        "mod\texample.com\t(devel)\t",
        "dep\tgolang.org/x/net\tv0.1.0\th1:abc=",
        "=>\t../net\t(devel)\t",
        "dep\tgolang.org/x/text\tv0.3.0\th1:def=",
        "build\t-ldflags=\"-s -w -X main.v=1\"",
        "build\t\"weird=key\"=\"tab\\there\"",
        "build\tCGO_ENABLED=0",
        "build\t-trimpath=true",
        "");
    ModInfo.Parsed p = ModInfo.parse(text);
    assertEquals("example.com/cmd/server", p.path());
    assertEquals("example.com", p.main().orElseThrow().path());
    assertEquals(2, p.deps().size());
    assertEquals("../net", p.deps().get(0).replacement().orElseThrow().path());
    assertTrue(p.deps().get(1).replacement().isEmpty());
    assertEquals("h1:def=", p.deps().get(1).sum());
    assertEquals("-s -w -X main.v=1", p.settings().get("-ldflags"));
    assertEquals("tab\there", p.settings().get("weird=key"));
    assertEquals(List.of("-ldflags", "weird=key", "CGO_ENABLED", "-trimpath"), List.copyOf(p.settings().keySet()));
  }

  @Test
  void framing() {
    String start = "0w\u00af\f\u0092t\b\u0002A\u00e1\u00c1\u0007\u00e6\u00d6\u0018\u00e6";
    String end = "\u00f92C1\u0086\u0018 r\u0000\u0082B\u0010A\u0016\u00d8\u00f2";
    assertEquals("path\tx\n", ModInfo.unframe(start + "path\tx\n" + end));
    assertEquals("", ModInfo.unframe("path\tx"));
  }

  @Test
  void goQuote() {
    assertEquals("a\"b\\c\u00e9", GoQuote.unquote("\"a\\\"b\\\\c\\u00e9\""));
    assertEquals("\u00e9", GoQuote.unquote("\"\\xc3\\xa9\""));
    assertEquals(null, GoQuote.unquote("\"bad\\q\""));
    assertEquals(null, GoQuote.unquote("\"\\x4\""));
  }
}
