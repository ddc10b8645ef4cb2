package dev.ddbwarden.ledger;

import dev.ddbwarden.alert.AlertFacts;
import dev.ddbwarden.check.Severity;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An alert's facts kept in its ledger entry, read back as they were, and entries written before them still read. */
class FactsAttributeTest {
    private static final AlertFacts FACTS = new AlertFacts("deletion-protection", Severity.HIGH, "DynamoDB table",
            "arn:aws:dynamodb:eu-west-1:210987654321:table/orders", "orders", "210987654321", "eu-west-1", "aws",
            "deletion protection off", "Deletion protection was turned off.", "Turned it back on.",
            "assumed-role/developer/mallory", "UpdateTable", "dynamodb.amazonaws.com", "e-1", "203.0.113.7",
            Instant.parse("2026-12-05T06:00:00Z"), true);

    private static Map<String, AttributeValue> item(AttributeValue facts) {
        return Map.of(FactsAttribute.NAME, facts);
    }

    @Test
    void facts_shouldReadBackAsWritten() {
        assertThat(FactsAttribute.from(item(FactsAttribute.of(FACTS).orElseThrow()))).contains(FACTS);
    }

    @Test
    void anEntryWrittenBeforeFactsWereKept_shouldReadAsAnAlertWithoutThem() {
        assertThat(FactsAttribute.from(Map.of("alertSubject", AttributeValue.fromS("[HIGH] x")))).isEmpty();
    }

    @Test
    void aDamagedEntry_shouldReadWithoutFacts_notFail() {
        Map<String, AttributeValue> damaged = new HashMap<>(FactsAttribute.of(FACTS).orElseThrow().m());
        damaged.put("severity", AttributeValue.fromS("NOT-A-SEVERITY"));

        assertThat(FactsAttribute.from(item(AttributeValue.fromM(damaged)))).isEmpty();
        assertThat(FactsAttribute.from(item(AttributeValue.fromS("not a map")))).isEmpty();
    }

    @Test
    void longTexts_shouldBeKeptWithinWhatAFindingUses_andTheArnWhole() {
        String detail = "d".repeat(100_000);
        AlertFacts hostile = new AlertFacts(FACTS.rule(), FACTS.severity(), FACTS.resourceKind(), FACTS.resourceArn(),
                "n".repeat(100_000), FACTS.accountId(), FACTS.region(), FACTS.partition(), "t".repeat(100_000), detail,
                "r".repeat(100_000), "a".repeat(100_000), FACTS.eventName(), FACTS.eventSource(), FACTS.eventId(),
                FACTS.sourceIp(), FACTS.observedAt(), false);

        AttributeValue kept = FactsAttribute.of(hostile).orElseThrow();
        AlertFacts read = FactsAttribute.from(item(kept)).orElseThrow();

        int bytes = kept.m().values().stream().mapToInt(v -> v.s() == null ? 8 : v.s().getBytes(StandardCharsets.UTF_8).length).sum();
        assertThat(bytes).as("well inside the room the ledger's item has left").isLessThan(20 * 1024);
        assertThat(read.detail()).hasSize(4 * 1024).startsWith("ddd");
        assertThat(read.title()).hasSize(1024);
        assertThat(read.resourceArn()).isEqualTo(FACTS.resourceArn());
        assertThat(read.resolved()).isFalse();
    }

    @Test
    void anArnTooLongToKeepWhole_shouldKeepNoFacts() {
        AlertFacts tooLong = new AlertFacts(FACTS.rule(), FACTS.severity(), FACTS.resourceKind(),
                "arn:aws:dynamodb:eu-west-1:210987654321:table/" + "x".repeat(3_000), "x", FACTS.accountId(), FACTS.region(),
                FACTS.partition(), FACTS.title(), FACTS.detail(), FACTS.remediation(), FACTS.actor(), FACTS.eventName(),
                FACTS.eventSource(), FACTS.eventId(), FACTS.sourceIp(), FACTS.observedAt(), false);

        assertThat(FactsAttribute.of(tooLong)).isEmpty();
    }
}
