package dev.ddbwarden.ledger;

import dev.ddbwarden.alert.AlertFacts;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.Excerpt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An alert's facts ({@link AlertFacts}) as one map attribute of its ledger entry, so that an alert re-sent from the
 * ledger files its finding (Security Hub) as the first send would have. Each text is kept within what a finding uses of
 * it (ASFF caps Title at 256 characters, Description at 1024, Recommendation at 512, a ProductFields value is kept
 * under 1000), counted in UTF-8 bytes at four a character, so the facts add at most about 20 KB to an item whose five
 * long texts may take 350 KB of DynamoDB's 400 KB. An entry written before the facts were kept has none, and reads
 * as an alert with text alone, as before.
 */
final class FactsAttribute {
    static final String NAME = "alertFacts";
    private static final Logger LOG = LoggerFactory.getLogger(FactsAttribute.class);
    private static final int FIELD_BYTES = 1_024;
    /** An ARN longer than AWS allows anywhere: its finding's Id could not be made again from a cut one. */
    private static final int ARN_BYTES = 2_048;
    private static final Map<String, Integer> LONG = Map.of("detail", 4 * 1_024, "remediation", 2 * 1_024);

    private FactsAttribute() {
    }

    /** The facts as a map attribute; empty for a resource ARN too long to keep whole (the re-sent alert files none). */
    static Optional<AttributeValue> of(AlertFacts facts) {
        if (facts.resourceArn().getBytes(StandardCharsets.UTF_8).length > ARN_BYTES) {
            LOG.warn("the facts of the alert on {}... are not kept in the ledger: its ARN is longer than {} bytes",
                    Excerpt.head(facts.resourceArn(), 128), ARN_BYTES);
            return Optional.empty();
        }
        Map<String, AttributeValue> map = new HashMap<>();
        map.put("rule", text("rule", facts.rule()));
        map.put("severity", text("severity", facts.severity().name()));
        map.put("resourceKind", text("resourceKind", facts.resourceKind()));
        map.put("resourceArn", AttributeValue.fromS(facts.resourceArn()));
        map.put("resourceName", text("resourceName", facts.resourceName()));
        map.put("accountId", text("accountId", facts.accountId()));
        map.put("region", text("region", facts.region()));
        map.put("partition", text("partition", facts.partition()));
        map.put("title", text("title", facts.title()));
        map.put("detail", text("detail", facts.detail()));
        map.put("remediation", text("remediation", facts.remediation()));
        map.put("actor", text("actor", facts.actor()));
        map.put("eventName", text("eventName", facts.eventName()));
        map.put("eventSource", text("eventSource", facts.eventSource()));
        map.put("eventId", text("eventId", facts.eventId()));
        map.put("sourceIp", text("sourceIp", facts.sourceIp()));
        map.put("observedAt", AttributeValue.fromS(facts.observedAt().toString()));
        map.put("resolved", AttributeValue.fromBool(facts.resolved()));
        return Optional.of(AttributeValue.fromM(map));
    }

    /** The facts an entry keeps; empty for an entry without them (written before they were kept) or one unreadable. */
    static Optional<AlertFacts> from(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(NAME);
        if (value == null || !value.hasM()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> m = value.m();
        try {
            return Optional.of(new AlertFacts(s(m, "rule"), Severity.valueOf(s(m, "severity")), s(m, "resourceKind"),
                    s(m, "resourceArn"), s(m, "resourceName"), s(m, "accountId"), s(m, "region"), s(m, "partition"),
                    s(m, "title"), s(m, "detail"), s(m, "remediation"), s(m, "actor"), s(m, "eventName"),
                    s(m, "eventSource"), s(m, "eventId"), s(m, "sourceIp"), Instant.parse(s(m, "observedAt")),
                    Boolean.TRUE.equals(m.getOrDefault("resolved", AttributeValue.fromBool(false)).bool())));
        } catch (RuntimeException e) {
            // A damaged entry still re-sends its alert's text; only the finding is not filed.
            LOG.warn("the alert facts kept in the ledger cannot be read ({}); the alert is re-sent without them", e.getMessage());
            return Optional.empty();
        }
    }

    private static AttributeValue text(String field, String value) {
        return AttributeValue.fromS(Excerpt.head(value, LONG.getOrDefault(field, FIELD_BYTES)));
    }

    private static String s(Map<String, AttributeValue> m, String field) {
        AttributeValue value = m.get(field);
        if (value == null || value.s() == null) {
            throw new IllegalArgumentException("no " + field);
        }
        return value.s();
    }
}
