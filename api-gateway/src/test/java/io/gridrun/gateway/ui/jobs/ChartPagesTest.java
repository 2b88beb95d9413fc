package io.gridrun.gateway.ui.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart pages requested together after the first: those its total says exist, up to 2000. */
class ChartPagesTest {

  private static Map<String, Object> firstPage(int items, Long total) {
    Map<String, Object> page = new HashMap<>();
    page.put("items", Collections.nCopies(items, Map.of("id", "r")));
    if (total != null) {
      page.put("total", total);
    }
    return page;
  }

  @Test
  void asManyMorePagesAsTheTotalNeedsUpToTheChartLimit() {
    assertThat(JobPageController.morePages(firstPage(500, 2500L))).isEqualTo(3);
    assertThat(JobPageController.morePages(firstPage(500, 2000L))).isEqualTo(3);
    assertThat(JobPageController.morePages(firstPage(500, 1001L))).isEqualTo(2);
    assertThat(JobPageController.morePages(firstPage(500, 500L))).isZero();
    assertThat(JobPageController.morePages(firstPage(120, 120L))).isZero();
    assertThat(JobPageController.morePages(Map.of("items", List.of()))).isZero();
    assertThat(JobPageController.morePages(firstPage(500, null))).isEqualTo(3);
  }
}
