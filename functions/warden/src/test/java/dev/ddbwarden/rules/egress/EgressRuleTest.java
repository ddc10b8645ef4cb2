package dev.ddbwarden.rules.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.ACCOUNT;
import static dev.ddbwarden.TestEvents.call;
import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.exportTo;
import static dev.ddbwarden.TestEvents.importIn;
import static dev.ddbwarden.TestEvents.request;
import static dev.ddbwarden.TestEvents.sample;
import static dev.ddbwarden.TestEvents.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The egress rule's pure decisions: streams against TRUSTED_STREAMS, exports against regions and keys, imports against trust. */
class EgressRuleTest {
    private static final String TRUSTED = "arn:aws:kinesis:us-east-1:123456789012:stream/analytics-orders";
    private static final String OTHER = "arn:aws:kinesis:us-east-1:123456789012:stream/exfil";
    private static final Instant NOW = Instant.parse("2024-05-01T12:01:00Z");
    private final EgressRule rule = new EgressRule();

    private static Settings settings(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("ALLOWED_REGIONS", "us-east-1,eu-west-1"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return Settings.from(env::get, Rules.settingNames());
    }

    private static TableState streamingTo(String... streams) {
        List<KinesisDestinations.Destination> destinations = java.util.Arrays.stream(streams)
                .map(s -> new KinesisDestinations.Destination(s, "ACTIVE")).toList();
        return new TableState(table("orders"), "ACTIVE", Map.of())
                .withAugment(KinesisDestinations.class, new KinesisDestinations(destinations));
    }

    private static ObjectNode enable(String stream) {
        ObjectNode event = event(EgressRule.ENABLE, "orders");
        request(event).put("streamArn", stream);
        return event;
    }

    private List<Finding> evaluate(ObjectNode event, Optional<TableState> state, Settings settings) {
        ApiCall call = call(event);
        TableRef table = rule.subjects(call).get(0);
        return rule.evaluate(call, table, state, settings, NOW);
    }

    @Test
    void evaluate_shouldStopStreaming_whenTheStreamIsNotInTrustedStreams() {
        List<Finding> findings = evaluate(enable(OTHER), Optional.of(streamingTo(TRUSTED, OTHER)),
                settings("TRUSTED_STREAMS", TRUSTED));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.remedy()).isEqualTo(new EgressRemedy.StopStreaming(List.of(OTHER)));
            assertThat(f.detail()).contains(OTHER, "TRUSTED_STREAMS (" + TRUSTED + ")", "EnableKinesisStreamingDestination");
        });
    }

    @Test
    void evaluate_shouldLeaveAStreamAlone_whenAGlobTrustsIt() {
        assertThat(evaluate(enable(OTHER), Optional.of(streamingTo(OTHER)),
                settings("TRUSTED_STREAMS", "arn:aws:kinesis:*:123456789012:stream/ex*"))).isEmpty();
    }

    @Test
    void evaluate_shouldTrustEveryStream_whenTrustedStreamsIsUnset() {
        // DynamoDB itself keeps the stream in the table's account and region: with no list there is nothing to check.
        assertThat(evaluate(enable(OTHER), Optional.of(streamingTo(OTHER)), settings())).isEmpty();
    }

    @Test
    void evaluate_shouldIgnoreADestinationNoLongerFlowing() {
        TableState disabled = new TableState(table("orders"), "ACTIVE", Map.of()).withAugment(
                KinesisDestinations.class, new KinesisDestinations(List.of(new KinesisDestinations.Destination(OTHER, "DISABLED"))));

        assertThat(evaluate(enable(OTHER), Optional.of(disabled), settings("TRUSTED_STREAMS", TRUSTED))).isEmpty();
    }

    @Test
    void evaluate_shouldReportTheSweepsFind_likeAnEvent() {
        ApiCall sweep = ApiCall.sweep("s1", "us-east-1", ACCOUNT, "orders", NOW);

        List<Finding> findings = rule.evaluate(sweep, table("orders"), Optional.of(streamingTo(OTHER)),
                settings("TRUSTED_STREAMS", TRUSTED), NOW);

        assertThat(findings).singleElement().satisfies(f -> assertThat(f.detail()).contains("found by the sweep"));
    }

    @Test
    void destinations_shouldBeReadOnly_whileTrustedStreamsIsSet() {
        KinesisDestinationsAugment augment = new KinesisDestinationsAugment();

        assertThat(augment.neededUnder(settings())).isFalse();
        assertThat(augment.neededUnder(settings("TRUSTED_STREAMS", TRUSTED))).isTrue();
    }

    @Test
    void trustedStreams_shouldRefuseAnEntryThatIsNotAStreamArn() {
        assertThatThrownBy(() -> EgressRule.TRUSTED_STREAMS.in(settings("TRUSTED_STREAMS", "exfil")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TRUSTED_STREAMS");
    }

    @Test
    void isCurrent_shouldWait_untilTheEnabledStreamIsListed() {
        ApiCall call = call(enable(OTHER));

        assertThat(rule.isCurrent(call, streamingTo(TRUSTED))).isFalse();
        assertThat(rule.isCurrent(call, streamingTo(TRUSTED, OTHER))).isTrue();
    }

    private static Optional<TableState> exportState(ExportBucket bucket) {
        return Optional.of(new TableState(table("orders"), "ACTIVE", Map.of()).withAugment(ExportBucket.class, bucket));
    }

    @Test
    void evaluate_shouldAlertHigh_whenTheExportsBucketIsOutsideAllowedRegions() {
        List<Finding> findings = evaluate(exportTo("orders", "far-bucket", null),
                exportState(ExportBucket.in("far-bucket", "ap-southeast-2")), settings());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.detail()).contains("ap-southeast-2", "ALLOWED_REGIONS (us-east-1, eu-west-1)", "s3://far-bucket/");
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
        });
    }

    @Test
    void evaluate_shouldPassAnExport_toABucketInAnAllowedRegion() {
        assertThat(evaluate(exportTo("orders", "near-bucket", null), exportState(ExportBucket.in("near-bucket", "eu-west-1")),
                settings())).isEmpty();
    }

    @Test
    void evaluate_shouldSayRegionUnknown_whenS3WouldNotTell() {
        List<Finding> findings = evaluate(exportTo("orders", "their-bucket", "999988887777"),
                exportState(ExportBucket.unknown("their-bucket", "S3 refused to say (HTTP 403)")), settings());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.detail()).contains("region unknown", "HTTP 403");
        });
    }

    @Test
    void evaluate_shouldAlertMedium_whenRequireCmkAndTheExportIsNotKmsEncrypted() {
        ObjectNode export = exportTo("orders", "near-bucket", null);
        request(export).put("s3SseAlgorithm", "AES256");
        Optional<TableState> near = exportState(ExportBucket.in("near-bucket", "us-east-1"));

        assertThat(evaluate(export, near, settings("REQUIRE_CMK", "true"))).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.MEDIUM));
        assertThat(evaluate(export, near, settings())).isEmpty();
        request(export).put("s3SseAlgorithm", "KMS");
        assertThat(evaluate(export, near, settings("REQUIRE_CMK", "true"))).isEmpty();
    }

    @Test
    void evaluate_shouldKeepTheWorstSeverity_whenAnExportIsBothFarAndUnencrypted() {
        List<Finding> findings = evaluate(exportTo("orders", "far-bucket", null),
                exportState(ExportBucket.in("far-bucket", "ap-southeast-2")), settings("REQUIRE_CMK", "true"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.detail()).contains("ap-southeast-2", "REQUIRE_CMK");
        });
    }

    @Test
    void evaluate_shouldAlertMedium_whenAnImportComesFromAnUntrustedAccountsBucket() {
        ObjectNode imported = importIn("us-east-1", "orders");
        ((ObjectNode) request(imported).get("s3BucketSource")).put("s3BucketOwner", "999988887777");

        assertThat(evaluate(imported, Optional.empty(), settings())).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.detail()).contains("999988887777", "s3://import-bucket/exports/");
        });
        assertThat(evaluate(imported, Optional.empty(), settings("TRUSTED_ACCOUNTS", "999988887777"))).isEmpty();
    }

    private static ObjectNode copyJob(String recoveryPoint, String vault) {
        ObjectNode event = sample("backup-start-copy-job.json");
        request(event).put("recoveryPointArn", recoveryPoint).put("destinationBackupVaultArn", vault);
        return event;
    }

    private static final String BACKUP = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/backup/01715677200000-a1b2c3d4";

    @Test
    void copyJob_shouldBeAboutTheTableOfADynamoDbBackup_andAboutNothingElse() {
        assertThat(rule.subjects(call(copyJob(BACKUP, "arn:aws:backup:eu-west-1:123456789012:backup-vault:v"))))
                .containsExactly(table("orders"));
        assertThat(rule.subjects(call(copyJob("arn:aws:backup:us-east-1:123456789012:recovery-point:5b3c",
                "arn:aws:backup:eu-west-1:123456789012:backup-vault:v")))).isEmpty();
        assertThat(rule.subjects(call(copyJob("arn:aws:ec2:us-east-1::image/ami-1",
                "arn:aws:backup:eu-west-1:123456789012:backup-vault:v")))).isEmpty();
    }

    @Test
    void copyJob_shouldAlertHigh_whenTheVaultIsOutsideAllowedRegions() {
        assertThat(evaluate(copyJob(BACKUP, "arn:aws:backup:ap-southeast-2:123456789012:backup-vault:offsite"),
                Optional.empty(), settings())).singleElement().satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.HIGH);
                    assertThat(f.detail()).contains("ap-southeast-2", "offsite", "orders");
                });
        assertThat(evaluate(copyJob(BACKUP, "arn:aws:backup:eu-west-1:123456789012:backup-vault:v"), Optional.empty(),
                settings())).isEmpty();
        assertThat(evaluate(copyJob(BACKUP, "offsite"), Optional.empty(), settings())).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("region unknown"));
    }

    @Test
    void evaluate_shouldPassAnImport_fromTheCallersOwnBucket() {
        assertThat(evaluate(importIn("us-east-1", "orders"), Optional.empty(), settings())).isEmpty();
    }
}
