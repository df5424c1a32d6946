package dev.gotrace.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.query.KeyValue;
import dev.gotrace.core.query.Question;
import java.util.Optional;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricLabelsTest {
  @Test
  void aByExpressionBecomesALabelNameOfPrometheusCharacters() {
    assertEquals(List.of("year", "r_URL_Path", "err_nil", "arg1_int", "len_s", "p_Name"),
        MetricLabels.keyNames(List.of("year", "r.URL.Path", "err != nil", "arg1:int", "len(s)", "*p.Name")));
  }

  @Test
  void aQuestionsLabelsAreItsByPartsAsTheUserWroteThemWithoutItsWhere() {
    Question q = Question.parse(Optional.of("year > 2000"), Optional.of("year, r.URL.Path"), Question.DEFAULT_KEY_BYTES);
    assertEquals(List.of("year", "r_URL_Path"), MetricLabels.keyNames(q));
    assertEquals(List.of(), MetricLabels.keyNames(Question.parse(Optional.of("year > 2000"), Optional.empty(),
        Question.DEFAULT_KEY_BYTES)));
  }

  @Test
  void namesGotraceSetsOrPrometheusReservesGetAPrefix() {
    assertEquals(List.of("by_function", "by_binary", "by_go_version", "by_pid", "by_le", "by_job", "by_instance",
        "by_Function"), MetricLabels.keyNames(List.of("function", "binary", "go_version", "pid", "le", "job",
        "instance", "Function")));
  }

  @Test
  void aNameThatCannotStartALabelGetsAPrefix() {
    // a digit first, nothing left, only underscores, leading underscores (Prometheus reserves __)
    assertEquals(List.of("by_0", "by_", "by__2", "x"), MetricLabels.keyNames(List.of("0", "\"\"", "__", "__x")));
  }

  @Test
  void aRepeatedNameIsNumbered() {
    assertEquals(List.of("x", "x_2", "x_3", "a_b", "a_b_2"),
        MetricLabels.keyNames(List.of("x", "x_2", "x", "a.b", "a_b")));
  }

  @Test
  void valuesAsGoPrintsThem() {
    assertEquals("-7", MetricLabels.value(new KeyValue.IntKey(-7)));
    assertEquals("18446744073709551615", MetricLabels.value(new KeyValue.UintKey(-1)));
    assertEquals("true", MetricLabels.value(new KeyValue.BoolKey(true)));
    assertEquals("2", MetricLabels.value(new KeyValue.FloatKey(2.0)));
    assertEquals("1.5", MetricLabels.value(new KeyValue.FloatKey(1.5)));
    assertEquals("say \"hi\"", MetricLabels.value(new KeyValue.StringKey("say \"hi\"", 8, false)),
        "a string's bytes, unquoted: the client escapes");
    assertEquals("GopherCon…", MetricLabels.value(new KeyValue.StringKey("GopherCon", 40, true)));
    assertEquals(MetricLabels.UNREADABLE, MetricLabels.value(new KeyValue.Unreadable()));
  }
}
