package io.gridrun.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamResumeTest {

  private static final String EPOCH = "Jq3X9vNsS6mZ1AfB2cDeFg";
  private static final EventCursor TAIL = EventCursor.of(10, 20, 30);

  @Test
  void anIdOfThisLogIsResumedFromAndTheIdCarriesTheEpoch() {
    String id = StreamResume.id(EPOCH, EventCursor.of(4, 5, 6));
    assertThat(id).isEqualTo(EPOCH + ":4.5.6");
    assertThat(StreamResume.of(Optional.of(id), EPOCH, TAIL))
        .isEqualTo(new StreamResume.From(EventCursor.of(4, 5, 6)));
  }

  @Test
  void noIdIsANewClient() {
    assertThat(StreamResume.of(Optional.empty(), EPOCH, TAIL))
        .isInstanceOf(StreamResume.Fresh.class);
    assertThat(StreamResume.of(Optional.of(" "), EPOCH, TAIL))
        .isInstanceOf(StreamResume.Fresh.class);
  }

  @Test
  void anIdOfAnotherLogIsAResetEvenWhenItsCursorWouldFit() {
    assertThat(StreamResume.of(Optional.of("AAAAAAAAAAAAAAAAAAAAAA:1.2.3"), EPOCH, TAIL))
        .isInstanceOfSatisfying(
            StreamResume.Reset.class,
            reset -> assertThat(reset.reason()).contains("another event log"));
  }

  @Test
  void anIdThatIsNoCursorOfThisLogIsAReset() {
    assertThat(StreamResume.of(Optional.of(EPOCH + ":1.2"), EPOCH, TAIL))
        .isInstanceOf(StreamResume.Reset.class);
    assertThat(StreamResume.of(Optional.of("not-a-cursor"), EPOCH, TAIL))
        .isInstanceOf(StreamResume.Reset.class);
  }

  @Test
  void anIdWithoutEpochIsACursorOfThisLogUnlessItLiesBeyondItsEnd() {
    assertThat(StreamResume.of(Optional.of("0.0.0"), EPOCH, TAIL))
        .isEqualTo(new StreamResume.From(EventCursor.of(0, 0, 0)));
    assertThat(StreamResume.of(Optional.of("10.20.30"), EPOCH, TAIL))
        .isEqualTo(new StreamResume.From(TAIL));
    assertThat(StreamResume.of(Optional.of("10.21.30"), EPOCH, TAIL))
        .isInstanceOfSatisfying(
            StreamResume.Reset.class,
            reset -> assertThat(reset.reason()).contains("beyond the end"));
  }
}
