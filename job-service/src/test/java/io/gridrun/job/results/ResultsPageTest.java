package io.gridrun.job.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultsPageTest {

  @Test
  void aPageTakesRunsWithAValueFirstAndContinuesWithThoseWithout() {
    // 5 runs have the sort key's value, pages of 2
    assertThat(ResultsPage.of(5, 0, 2)).isEqualTo(new ResultsPage(0, 2, 0, 0));
    assertThat(ResultsPage.of(5, 2, 2)).isEqualTo(new ResultsPage(4, 1, 0, 1));
    assertThat(ResultsPage.of(5, 3, 2)).isEqualTo(new ResultsPage(5, 0, 1, 2));
    assertThat(ResultsPage.of(0, 1, 50)).isEqualTo(new ResultsPage(0, 0, 50, 50));
  }
}
