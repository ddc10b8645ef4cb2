package dev.ddbwarden.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeTest {
    /** What the parser answers for every shape but an offset without its colon: Instant.parse, or nothing. */
    private static Optional<Instant> reference(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    @Test
    void parse_shouldReadCloudTrailsShape() {
        assertThat(EventTime.parse("2024-05-14T09:12:03Z")).contains(Instant.ofEpochSecond(1_715_677_923L));
        assertThat(EventTime.parse("2024-02-29T23:59:59Z")).contains(Instant.parse("2024-02-29T23:59:59Z"));
    }

    /** Every shape of UTC that CloudTrail's records and published samples use names the same instant. */
    @ParameterizedTest
    @ValueSource(strings = {"2017-10-10T23:01:45Z", "2017-10-10T23:01:45+0000", "2017-10-10T23:01:45+00:00",
            "2017-10-10T23:01:45.000Z", "2017-10-10T23:01:45.000+0000", "2017-10-10T23:01:45.000000+00:00",
            "2017-10-10T18:01:45-0500", "2017-10-11T01:01:45+02:00"})
    void parse_shouldReadEveryShapeOfOneInstant(String text) {
        assertThat(EventTime.parse(text)).as(text).contains(Instant.parse("2017-10-10T23:01:45Z"));
    }

    @Test
    void parse_shouldKeepFractionalSeconds() {
        assertThat(EventTime.parse("2024-05-14T09:12:03.250+0000")).contains(Instant.parse("2024-05-14T09:12:03.250Z"));
    }

    /** Nothing names an instant here: unknown, never the epoch. */
    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2024-05-14T09:12:03", "2024-05-14T09:12:03+000", "2024-05-14T09:12:03+00000",
            "2024-05-14T09:12:03+2500", "2024-05-14T09:12:03 +0000", "1507676505", "2023-02-29T00:00:00+0000"})
    void parse_shouldBeEmpty_whenTextNamesNoInstant(String text) {
        assertThat(EventTime.parse(text)).as(text).isEmpty();
    }

    @Test
    void text_shouldSayUnknown_whenThereIsNoTime() {
        assertThat(EventTime.text(Optional.empty())).isEqualTo("unknown");
        assertThat(EventTime.text(Optional.of(Instant.parse("2017-10-10T23:01:45Z")))).isEqualTo("2017-10-10T23:01:45Z");
    }

    /** Valid, invalid and other shapes: each read as Instant.parse reads it, empty where it throws. */
    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2023-02-29T00:00:00Z", "2024-04-31T10:00:00Z", "2024-13-01T00:00:00Z",
            "2024-00-10T00:00:00Z", "2024-05-00T00:00:00Z", "2024-05-14T24:00:00Z", "2024-05-14T23:60:00Z",
            "2024-12-31T23:59:60Z", "2024-05-14T09:12:03.250Z", "2024-05-14T09:12:03+02:00", "2024-05-14 09:12:03Z",
            "2024-05-14T09:12:03z", "2024-05-14T09:12:03", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z", "2024-05-14T09:12:0٣Z", "2024-05-14T09:12:03Z "})
    void parse_shouldAgreeWithInstantParse(String text) {
        assertThat(EventTime.parse(text)).as(text).isEqualTo(reference(text));
    }
}
