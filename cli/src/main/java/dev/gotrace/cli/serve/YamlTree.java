package dev.gotrace.cli.serve;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node knows its line, read with Jackson's streaming YAML
 * parser (Jackson's own tree model keeps no locations). Keys are unique per mapping; anchors,
 * tags and several documents are the parser's business, and only one document is accepted.
 */
sealed interface YamlTree {
  /** 1-based line of the node's first token. */
  int line();

  /** A scalar: its text as written ({@code 10s}, {@code 9464}, {@code true}); null for {@code ~}/empty. */
  record Scalar(String text, int line) implements YamlTree {}

  record Sequence(List<YamlTree> items, int line) implements YamlTree {}

  /** A mapping in file order; {@link #keyLines} gives the line of each key. */
  record Mapping(Map<String, YamlTree> entries, Map<String, Integer> keyLines, int line) implements YamlTree {}

  /** A syntax error or a repeated key, at a line. */
  final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    SyntaxException(int line, String message) {
      super(message);
      this.line = line;
    }

    int line() {
      return line;
    }
  }

  /** The document in {@code text}; null when it is empty. */
  static YamlTree parse(String text) throws SyntaxException {
    return parse(new StringReader(text));
  }

  static YamlTree parse(Reader in) throws SyntaxException {
    try (JsonParser p = new YAMLFactory().createParser(in)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return null;
      }
      YamlTree root = read(p);
      if (p.nextToken() != null) {
        throw new SyntaxException(line(p), "a second YAML document; the file holds one");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String msg = e.getOriginalMessage() == null ? "not YAML" : e.getOriginalMessage().strip();
      int nl = msg.indexOf('\n');
      throw new SyntaxException(at == null ? 1 : Math.max(1, at.getLineNr()),
          "not valid YAML: " + (nl < 0 ? msg : msg.substring(0, nl)).strip());
    } catch (IOException e) {
      throw new SyntaxException(1, "cannot read: " + e.getMessage());
    }
  }

  private static YamlTree read(JsonParser p) throws IOException, SyntaxException {
    int line = line(p);
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, YamlTree> entries = new LinkedHashMap<>();
      Map<String, Integer> keyLines = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int keyLine = line(p);
        if (entries.containsKey(key)) {
          throw new SyntaxException(keyLine, "key \"" + key + "\" repeated (first on line " + keyLines.get(key) + ")");
        }
        p.nextToken();
        keyLines.put(key, keyLine);
        entries.put(key, read(p));
      }
      return new Mapping(entries, keyLines, line);
    }
    if (t == JsonToken.START_ARRAY) {
      List<YamlTree> items = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        items.add(read(p));
      }
      return new Sequence(items, line);
    }
    return new Scalar(t == JsonToken.VALUE_NULL ? null : p.getText(), line);
  }

  private static int line(JsonParser p) {
    return Math.max(1, p.currentTokenLocation().getLineNr());
  }
}
