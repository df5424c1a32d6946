package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.match.NamePattern;
import org.junit.jupiter.api.Test;

class NamePatternTest {
  private static boolean m(String pattern, String name) {
    return NamePattern.parse(pattern).matches(name);
  }

  @Test
  void starCrossesDotsSlashesAndReceivers() {
    assertTrue(m("main.*", "main.main"));
    assertTrue(m("main.*", "main.(*T).M"));
    assertTrue(m("main.*", "main.main.func1"));
    assertTrue(m("main.*", "main.Map[...]"));
    assertFalse(m("main.*", "runtime.main"));
    assertTrue(m("net/http.*", "net/http.(*conn).serve"));
    assertFalse(m("net/http.*", "net/http/httptest.NewServer"));
    assertTrue(m("*.serve", "net/http.(*conn).serve"));
    assertTrue(m("main.handl?", "main.handle"));
  }

  @Test
  void exactNamesWithReceiversAndClosures() {
    assertInstanceOf(NamePattern.Exact.class, NamePattern.parse("main.(*T).M"));
    assertTrue(m("main.(*T).M", "main.(*T).M"));
    assertFalse(m("main.(*T).M", "main.(*T).Mx"));
    assertTrue(m("net/http.(*conn).serve", "net/http.(*conn).serve"));
    assertTrue(m("main.main.func1", "main.main.func1"));
    assertFalse(m("main.main", "main.main.func1"));
    assertTrue(m("main.(*T).*", "main.(*T).M"));
    assertFalse(m("main.(*T).*", "main.T.M"));
  }

  @Test
  void genericInstantiations() {
    assertTrue(m("main.Map[...]", "main.Map[go.shape.int,go.shape.string]"));
    assertTrue(m("main.Map[...]", "main.Map[...]"));
    assertTrue(m("main.Map[...]", "main.Map[go.shape.[]uint8]"));
    assertFalse(m("main.Map[...]", "main.Map"));
    assertFalse(m("main.Map[...]", "main.Map[...].func1"));
    assertTrue(m("main.Map", "main.Map[...]"));
    assertTrue(m("main.Map", "main.Map[go.shape.int]"));
    assertFalse(m("main.Map", "main.MapKeys[...]"));
    assertTrue(m("main.Map[...].func*", "main.Map[go.shape.int].func1"));
  }

  @Test
  void regex() {
    assertTrue(m("re:^main\\.(handle|serve)$", "main.serve"));
    assertFalse(m("re:^main\\.(handle|serve)$", "main.server"));
    assertTrue(m("re:conn", "net/http.(*conn).serve"));
    assertThrows(IllegalArgumentException.class, () -> NamePattern.parse("re:(("));
    assertThrows(IllegalArgumentException.class, () -> NamePattern.parse(""));
  }
}
