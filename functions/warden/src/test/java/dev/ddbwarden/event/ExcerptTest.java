package dev.ddbwarden.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExcerptTest {

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void head_shouldKeepATextThatFits_andCutOneThatDoesNotBetweenWholeCharacters() {
        assertThat(Excerpt.head("orders", 6)).isEqualTo("orders");

        String cut = Excerpt.head("ab" + "😀".repeat(10), 9);

        assertThat(cut).isEqualTo("ab😀");
        assertThat(utf8(cut)).isLessThanOrEqualTo(9);
    }

    @Test
    void of_shouldGiveTheTextItself_whenItFits() {
        String policy = "{\"Statement\":[]}\n";

        assertThat(Excerpt.of(policy, 200)).isSameAs(policy);
        assertThat(Excerpt.block(policy)).isSameAs(policy);
    }

    @Test
    void of_shouldKeepHeadAndTail_andSayHowMuchWasCut_whenTheTextIsTooLong() {
        // GIVEN an actor ARN of 250,000 characters whose session name is at the end
        String arn = "arn:aws:sts::123456789012:assumed-role/developer/" + "x".repeat(250_000) + "-mallory";

        // WHEN
        String excerpt = Excerpt.of(arn, 1_000);

        // THEN
        assertThat(utf8(excerpt)).isLessThanOrEqualTo(1_000);
        assertThat(excerpt).startsWith("arn:aws:sts::123456789012:assumed-role/developer/xxx").endsWith("xxx-mallory");
        Matcher marker = Pattern.compile(" \\[\\.\\.\\.cut ([0-9,]+) of ([0-9,]+) characters\\.\\.\\.\\] ").matcher(excerpt);
        assertThat(marker.find()).as(excerpt).isTrue();
        assertThat(marker.group(2).replace(",", "")).isEqualTo(String.valueOf(arn.length()));
        int cut = Integer.parseInt(marker.group(1).replace(",", ""));
        assertThat(excerpt.length() - marker.group().length() + cut).as("kept and cut make the whole").isEqualTo(arn.length());
    }

    /** Sizes are UTF-8 bytes: a cut must never split a character, nor let multi-byte text overrun its bound. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"é", "表", "🔥", "a🔥", "\uD800"})
    void of_shouldStayWithinItsBytes_andCutOnlyBetweenCharacters(String unit) {
        String text = unit.repeat(100_000);

        String excerpt = Excerpt.of(text, 4_096);

        assertThat(utf8(excerpt)).isLessThanOrEqualTo(4_096);
        assertThat(excerpt).contains("cut").contains("characters");
        assertThat(new String(excerpt.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .as("no surrogate pair is split").isEqualTo(unit.equals("\uD800") ? excerpt.replace('\uD800', '?') : excerpt);
    }

    /** Around a third of the bound (where counting starts) and around the bound: whole exactly when it fits. */
    @ParameterizedTest
    @ValueSource(strings = {"a", "\u00e9", "\u20ac", "\ud83d\ude00"})
    void ofAndHead_shouldKeepTheWholeText_exactlyWhenItsBytesFit(String unit) {
        int max = 1_000;
        for (int units : new int[] {max / 3 / unit.length() - 1, max / 3 / unit.length(), max / 3 / unit.length() + 1,
                max / utf8(unit) - 1, max / utf8(unit), max / utf8(unit) + 1}) {
            String text = unit.repeat(units);
            boolean fits = utf8(text) <= max;
            assertThat(Excerpt.of(text, max).equals(text)).as(units + " x " + unit).isEqualTo(fits);
            assertThat(Excerpt.head(text, max).equals(text)).as(units + " x " + unit).isEqualTo(fits);
        }
    }

    @Test
    void of_shouldRefuse_whenTheBoundLeavesNoRoomForTheMarker() {
        assertThatThrownBy(() -> Excerpt.of("x".repeat(1_000), 100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void marker_shouldFitItsRoom_forTheLongestStringJavaHolds() {
        assertThat(Excerpt.marker(Integer.MAX_VALUE, Integer.MAX_VALUE).length()).isLessThanOrEqualTo(64);
    }

    /** A quoted value must not forge a line of the alert ("  Table ARN: ...") nor pass for another name. */
    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("hidden")
    void line_shouldWriteLineBreaksAndInvisibleCharactersAsEscapes(String value, String expected) {
        assertThat(Excerpt.line(value)).isEqualTo(expected).doesNotContain("\n");
    }

    static List<Arguments> hidden() {
        return List.of(
                Arguments.of("orders\n  Table ARN: arn:aws:dynamodb:us-east-1:123456789012:table/payments",
                        "orders\\n  Table ARN: arn:aws:dynamodb:us-east-1:123456789012:table/payments"),
                Arguments.of("a\rb\tc", "a\\rb\\tc"),
                Arguments.of("orders\u0000", "orders\\u0000"),
                Arguments.of("\u202Eorders", "\\u202Eorders"),
                Arguments.of("ord\u200Bers", "ord\\u200Bers"),
                Arguments.of("orders\u2028", "orders\\u2028"),
                Arguments.of("\uD800orders", "\\uD800orders"),
                Arguments.of("ordé表🔥", "ordé表🔥"));
    }

    @Test
    void line_shouldBoundAnyField_toLineBytes() {
        String agent = "aws-cli/2.15.0 " + "\n".repeat(300_000);

        String line = Excerpt.line(agent);

        assertThat(utf8(line)).isLessThanOrEqualTo(Excerpt.LINE_BYTES);
        assertThat(line).startsWith("aws-cli/2.15.0 \\n\\n").contains("cut").doesNotContain("\n");
    }

    @Test
    void quoted_shouldGiveAShortQuotedValue_forALogLine() {
        assertThat(Excerpt.quoted("xx-fake-9")).isEqualTo("'xx-fake-9'");
        assertThat(utf8(Excerpt.quoted("us-" + "a".repeat(2_000) + "-1"))).isLessThanOrEqualTo(202);
    }
}
