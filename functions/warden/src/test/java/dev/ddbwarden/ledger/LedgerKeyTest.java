package dev.ddbwarden.ledger;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerKeyTest {
    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aKeyThatFitsIsKeptAsItIs() {
        LedgerKey key = LedgerKey.of("e-1", "deletion-protection", "arn:aws:dynamodb:us-east-1:123456789012:table/orders");

        assertThat(key.subject()).isEqualTo("deletion-protection#arn:aws:dynamodb:us-east-1:123456789012:table/orders");
        assertThat(key.eventId()).isEqualTo("e-1");
    }

    @Test
    void aResourceTooLongForTheSortKeyKeepsItsHeadAndADigest() {
        String resource = "arn:aws:lambda:us-east-1:123456789012:function:" + "é".repeat(200_000);

        LedgerKey key = LedgerKey.of("e-1", "watcher", resource);

        assertThat(bytes(key.subject())).isLessThanOrEqualTo(LedgerKey.MAX_SUBJECT_BYTES);
        assertThat(key.subject()).startsWith("watcher#arn:aws:lambda:us-east-1:123456789012:function:éé")
                .containsPattern("#sha256:[0-9a-f]{64}$");
    }

    @Test
    void twoLongResourcesWithTheSameHeadStayApart() {
        String head = "x".repeat(2_000);

        assertThat(LedgerKey.of("e", "watcher", head + "a")).isNotEqualTo(LedgerKey.of("e", "watcher", head + "b"));
        assertThat(LedgerKey.of("e", "watcher", head + "a")).isEqualTo(LedgerKey.of("e", "watcher", head + "a"));
    }

    @Test
    void aCutNeverSplitsACharacter() {
        String surrogates = "😀".repeat(1_000);

        String fitted = LedgerKey.fit(surrogates, 1_024);

        assertThat(bytes(fitted)).isLessThanOrEqualTo(1_024);
        String head = fitted.substring(0, fitted.indexOf("#sha256:"));
        assertThat(head).matches("(😀)+");
    }

    @Test
    void aHugeEventIdFitsThePartitionKey() {
        LedgerKey key = new LedgerKey("id-".repeat(5_000), "rule#arn");

        assertThat(bytes(key.eventId())).isLessThanOrEqualTo(LedgerKey.MAX_EVENT_ID_BYTES);
    }

    @Test
    void fittingIsStable() {
        LedgerKey once = LedgerKey.of("e", "watcher", "y".repeat(5_000));

        assertThat(new LedgerKey(once.eventId(), once.subject())).isEqualTo(once);
    }
}
