package dev.ddbwarden.findings;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.alert.AlertComposer;
import dev.ddbwarden.alert.AlertFacts;
import dev.ddbwarden.event.JsonText;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An alert's facts as a finding in the AWS Security Finding Format (ASFF), as Security Hub CSPM's BatchImportFindings
 * takes it. Pure. One finding per rule and resource: its Id is made of the two, so a later import (the fix, the
 * sweep's look at a compliant table) updates the same finding instead of adding one. Workflow, Note, UserDefinedFields
 * and VerificationState belong to the customer and are never sent.
 */
public final class Asff {
    public static final String SCHEMA_VERSION = "2018-10-08";
    /** Security Hub refuses a finding over 240 KB. */
    public static final int MAX_FINDING_BYTES = 240 * 1024;
    /** ASFF's limits on the texts (characters): Title 256, Description 1024, Recommendation.Text 512. */
    static final int TITLE = 256;
    static final int DESCRIPTION = 1024;
    static final int RECOMMENDATION = 512;
    /** Id and a resource's Id: ASFF allows 512 characters; a longer ARN is named by its hash. */
    static final int ID = 512;
    /** A ProductFields value is kept well under ASFF's limit, and under Resources.Id's. */
    static final int FIELD = 1000;
    static final String TYPE = "Software and Configuration Checks/AWS Security Best Practices";
    static final String PREFIX = "ddb-warden/";
    private static final Pattern IPV4 = Pattern.compile("(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)");
    private static final String ELLIPSIS = "...";
    /** ASFF resource types for the kinds the rules name ({@code ResourceRef.kind}); anything else is {@code Other}. */
    private static final Map<String, String> TYPES = Map.of(
            AlertComposer.TABLE, "AwsDynamoDbTable",
            "KMS key", "AwsKmsKey",
            "IAM user", "AwsIamUser",
            "IAM role", "AwsIamRole",
            "IAM group", "AwsIamGroup",
            "IAM managed policy", "AwsIamPolicy",
            "AWS Backup vault", "AwsBackupBackupVault",
            "AWS Backup plan", "AwsBackupBackupPlan",
            "AWS Backup recovery point", "AwsBackupRecoveryPoint");

    private Asff() {
    }

    /** The finding's Id: the rule and the resource, so that every import about them lands on one finding. */
    public static String id(String rule, String resourceArn) {
        String id = PREFIX + rule + "/" + resourceArn;
        return id.length() <= ID ? id : PREFIX + rule + "/sha256/" + sha256(resourceArn);
    }

    /** The default product ARN of an account: the one an account's own findings are imported under. */
    public static String productArn(String partition, String region, String account) {
        return "arn:" + partition + ":securityhub:" + region + ":" + account + ":product/" + account + "/default";
    }

    public static String resourceType(String kind) {
        return TYPES.getOrDefault(kind, "Other");
    }

    /**
     * The finding as it stands: FAILED and ACTIVE, or, with {@code passed}, PASSED and ARCHIVED (severity
     * INFORMATIONAL, as Security Hub's own controls report a passed check; the severity found is kept in ProductFields).
     */
    public static ObjectNode finding(AlertFacts facts, boolean passed, Instant now) {
        ObjectNode finding = head(facts.rule(), facts.resourceArn(), facts.partition(), facts.region(), facts.accountId(),
                facts.observedAt().equals(Instant.EPOCH) ? now : facts.observedAt(), now);
        finding.putObject("Severity").put("Label", passed ? "INFORMATIONAL" : facts.severity().name());
        finding.put("Title", cut("ddb-warden " + facts.rule() + ": " + facts.title() + " (" + facts.resourceName() + ")", TITLE));
        finding.put("Description", cut(facts.detail(), DESCRIPTION));
        finding.putObject("Remediation").putObject("Recommendation").put("Text", cut(facts.remediation(), RECOMMENDATION));
        finding.putArray("Resources").addObject()
                .put("Type", resourceType(facts.resourceKind()))
                .put("Id", cut(facts.resourceArn(), ID))
                .put("Partition", facts.partition())
                .put("Region", facts.region());
        finding.putObject("Compliance").put("Status", passed ? "PASSED" : "FAILED");
        finding.put("RecordState", passed ? "ARCHIVED" : "ACTIVE");
        if (!facts.eventSource().isEmpty() && !"ddb-warden".equals(facts.eventSource())) {
            ObjectNode call = finding.putObject("Action").put("ActionType", "AWS_API_CALL").putObject("AwsApiCallAction")
                    .put("Api", cut(facts.eventName(), 128))
                    .put("ServiceName", cut(facts.eventSource(), 128))
                    .put("FirstSeen", timestamp(facts.observedAt().equals(Instant.EPOCH) ? now : facts.observedAt()));
            if (IPV4.matcher(facts.sourceIp()).matches()) {
                call.put("CallerType", "remoteip").putObject("RemoteIpDetails").put("IpAddressV4", facts.sourceIp());
            } else if (!facts.sourceIp().isBlank()) {
                call.put("CallerType", "domain").putObject("DomainDetails").put("Domain", cut(facts.sourceIp(), 128));
            }
        }
        ObjectNode fields = finding.putObject("ProductFields");
        fields.put(PREFIX + "Rule", facts.rule());
        fields.put(PREFIX + "Severity", facts.severity().name());
        fields.put(PREFIX + "Actor", cut(facts.actor(), FIELD));
        fields.put(PREFIX + "EventId", cut(facts.eventId(), FIELD));
        fields.put(PREFIX + "ResourceArn", cut(facts.resourceArn(), FIELD));
        return bounded(finding);
    }

    /**
     * What the sweep found compliant: the same Id as the rule's finding on the resource (a table, a DAX cluster, an IAM
     * user), PASSED and ARCHIVED; Workflow is left as the customer set it. A resource that never failed gets an archived
     * finding, as Security Hub's own controls give passed resources.
     *
     * @param kind "DynamoDB table", or a {@link dev.ddbwarden.event.ResourceRef#kind()}
     */
    public static ObjectNode compliant(String rule, String kind, String resourceArn, String partition, String region,
                                       String account, Instant now) {
        ObjectNode finding = head(rule, resourceArn, partition, region, account, now, now);
        String name = resourceArn.substring(resourceArn.lastIndexOf('/') + 1);
        finding.putObject("Severity").put("Label", "INFORMATIONAL");
        finding.put("Title", cut("ddb-warden " + rule + ": compliant (" + name + ")", TITLE));
        finding.put("Description", cut("ddb-warden's scheduled sweep found " + kind + " " + name + " compliant with rule "
                + rule + ".", DESCRIPTION));
        finding.putObject("Remediation").putObject("Recommendation").put("Text", "Nothing to do.");
        finding.putArray("Resources").addObject().put("Type", resourceType(kind)).put("Id", cut(resourceArn, ID))
                .put("Partition", partition).put("Region", region);
        finding.putObject("Compliance").put("Status", "PASSED");
        finding.put("RecordState", "ARCHIVED");
        finding.putObject("ProductFields").put(PREFIX + "Rule", rule).put(PREFIX + "ResourceArn", cut(resourceArn, FIELD));
        return bounded(finding);
    }

    private static ObjectNode head(String rule, String resourceArn, String partition, String region, String account,
                                   Instant created, Instant now) {
        ObjectNode finding = JsonNodeFactory.instance.objectNode();
        finding.put("SchemaVersion", SCHEMA_VERSION);
        finding.put("Id", id(rule, resourceArn));
        finding.put("ProductArn", productArn(partition, region, account));
        finding.put("GeneratorId", PREFIX + rule);
        finding.put("AwsAccountId", account);
        finding.putArray("Types").add(TYPE);
        // UpdatedAt may not precede CreatedAt: a record's clock ahead of ours is taken as ours.
        finding.put("CreatedAt", timestamp(created.isAfter(now) ? now : created));
        finding.put("UpdatedAt", timestamp(now));
        return finding;
    }

    /**
     * The finding within {@link #MAX_FINDING_BYTES}: every text is capped already, so only an input past every cap
     * (a hostile ARN in ProductFields) can reach it; then the free texts are cut further, never the finding dropped.
     */
    static ObjectNode bounded(ObjectNode finding) {
        int room = FIELD;
        while (bytes(finding) > MAX_FINDING_BYTES && room > 16) {
            room /= 2;
            ObjectNode fields = (ObjectNode) finding.path("ProductFields");
            int cap = room;
            fields.properties().forEach(e -> e.setValue(JsonNodeFactory.instance.textNode(cut(e.getValue().asText(), cap))));
            finding.put("Description", cut(finding.path("Description").asText(), Math.max(cap, 16)));
        }
        return finding;
    }

    static int bytes(ObjectNode finding) {
        return JsonText.write(finding).getBytes(StandardCharsets.UTF_8).length;
    }

    /** The text within {@code max} characters, marked when cut; never empty (ASFF refuses blank required texts). */
    static String cut(String text, int max) {
        String value = text == null || text.isBlank() ? "(none)" : text;
        if (value.length() <= max) {
            return value;
        }
        int end = max - ELLIPSIS.length();
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + ELLIPSIS;
    }

    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
