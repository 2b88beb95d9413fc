package io.gridrun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {

  @Test
  void valuesAreJsonScalarsAndADottedNameIsAStepsParameter() {
    String grid =
        Json.write(
            Params.grid(
                List.of(
                    "lr=0.1,0.01",
                    "train.epochs=1,2,3",
                    "model=small,\"big\",true,null",
                    "train.tag=[\"a,b\",\"c\"]")));

    assertThat(grid)
        .isEqualTo(
            "{\"pipeline\":{\"lr\":[0.1,0.01],\"model\":[\"small\",\"big\",true,null]},"
                + "\"steps\":{\"train\":{\"epochs\":[1,2,3],\"tag\":[\"a,b\",\"c\"]}}}");
  }

  @Test
  void anExcludeIsOnePartialCombination() {
    assertThat(Json.write(Params.combination("lr=0.1,train.epochs=3")))
        .isEqualTo("{\"pipeline\":{\"lr\":0.1},\"steps\":{\"train\":{\"epochs\":3}}}");
    assertThat(Json.write(Params.combination("tag=\"a,b\",name=x")))
        .isEqualTo("{\"pipeline\":{\"tag\":\"a,b\",\"name\":\"x\"}}");
  }

  @Test
  void malformedParametersAreClientErrors() {
    for (String bad : List.of("lr", "=1", "lr=", ".x=1", "lr=[1,", "lr=[]")) {
      assertThatThrownBy(() -> Params.parseValues(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              CliException.class, e -> assertThat(e.exitCode()).isEqualTo(Main.CLIENT_ERROR));
    }
    assertThatThrownBy(() -> Params.combination("lr"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("name=value");
  }

  @Test
  void durationsTakeAPositiveNumberAndAUnit() {
    assertThat(Params.duration("2h")).isEqualTo("2h");
    assertThat(Params.duration(" 90s ")).isEqualTo("90s");
    assertThat(Params.duration("500ms")).isEqualTo("500ms");
    assertThat(Params.duration("1d")).isEqualTo("1d");
    for (String bad : List.of("2", "h", "0s", "-1m", "1.5h", "2 h", "2w")) {
      assertThatThrownBy(() -> Params.duration(bad)).as(bad).isInstanceOf(CliException.class);
    }
  }

  @Test
  void aRunFilterIsAParamQueryParameter() {
    assertThat(Params.filter("lr=0.1")).isEqualTo(Map.entry("param.lr", "0.1"));
    assertThat(Params.filter("train.epochs=3")).isEqualTo(Map.entry("param.train.epochs", "3"));
  }

  @Test
  void envPairsKeepEverythingAfterTheFirstEquals() {
    assertThat(Json.write(Params.env(List.of("A=1", "B=x=y", "C="))))
        .isEqualTo("{\"A\":\"1\",\"B\":\"x=y\",\"C\":\"\"}");
    assertThatThrownBy(() -> Params.env(List.of("novalue"))).isInstanceOf(CliException.class);
  }

  @Test
  void parameterNamesAndValuesOfARunAreDotted() {
    var parameters = Json.parse("{\"pipeline\":{\"lr\":0.1},\"steps\":{\"train\":{\"epochs\":3}}}");
    assertThat(Params.names(parameters)).containsExactly("lr", "train.epochs");
    assertThat(Params.value(parameters, "train.epochs").asInt()).isEqualTo(3);
    assertThat(Params.value(parameters, "lr").asDouble()).isEqualTo(0.1);
  }
}
