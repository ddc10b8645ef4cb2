package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.tags.TagsRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Tag;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler running the tags rule against moto_server on loopback: moto (5.2.1) models CreateTable's
 * tags, TagResource, UntagResource and ListTagsOfResource. It never throttles TagResource and has no CloudTrail
 * LookupEvents (VERIFY_ACTORS=false takes the event's word here): the throttled write and the confirmation are
 * TagsPipelineTest's, on mocked clients.
 */
class TagsIT {
    private static final TagsRule RULE = new TagsRule();
    private static final String ALICE = "arn:aws:sts::123456789012:assumed-role/developer/alice";
    private final Harness harness = new Harness();

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(RULE, "dynamodb:DescribeTable", "dynamodb:ListTagsOfResource", "dynamodb:TagResource",
                "sns:Publish", "dynamodb:PutItem");
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private JsonNode invoke(Map<String, String> overrides, String sample) throws Exception {
        return Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(overrides))), Project.event(sample));
    }

    private void tag(String table, String key, String value) {
        harness.estate.dynamo().tagResource(r -> r.resourceArn(harness.estate.describe(table).tableArn())
                .tags(Tag.builder().key(key).value(value).build()));
    }

    @Test
    void aRequiredTagRemoved_shouldBeAlertedLow_once() throws Exception {
        // GIVEN payments, whose owner tag a developer just removed
        harness.estate.createTable("payments", true);
        tag("payments", "env", "prod");

        // WHEN the UntagResource event arrives, twice
        JsonNode result = invoke(Map.of("REQUIRED_TAGS", "owner,env=prod|staging"), "untag-resource-required-tag.json");
        JsonNode again = invoke(Map.of("REQUIRED_TAGS", "owner,env=prod|staging"), "untag-resource-required-tag.json");

        // THEN one LOW alert names the missing tag and the command; the re-delivery did nothing
        assertThat(result.at("/results/0/severity").asText()).isEqualTo("LOW");
        assertThat(result.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(again.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[LOW] ddb-warden tags: payments (us-east-1) - required tag removed");
            assertThat(alert.path("Message").asText()).contains("no owner tag").contains("aws dynamodb tag-resource");
        });
    }

    @Test
    void tagCreator_shouldTagANewTableWithItsCreator_once_andNeverOverwrite() throws Exception {
        // GIVEN reports, created by alice with its owner and env tags (create-table-tagged.json)
        harness.estate.createTable("reports", true);
        tag("reports", "owner", "analytics");
        tag("reports", "env", "prod");
        Map<String, String> creator = Map.of("TAG_CREATOR", "true", "VERIFY_ACTORS", "false", "REQUIRED_TAGS", "owner");

        // WHEN the CreateTable event arrives, then again after someone rewrote created-by
        JsonNode result = invoke(creator, "create-table-tagged.json");
        Map<String, String> tagged = harness.estate.tags("reports");
        tag("reports", TagsRule.CREATED_BY, "arn:aws:iam::123456789012:role/someone-else");
        JsonNode again = invoke(creator, "create-table-tagged.json");

        // THEN the creator tags were written once, and the re-delivery changed nothing
        assertThat(result.at("/results/0/action").asText()).isEqualTo("TAGGED");
        assertThat(tagged).containsEntry(TagsRule.CREATED_BY, ALICE).containsEntry(TagsRule.CREATED_AT, "2024-05-14T10:08:15Z")
                .containsEntry("owner", "analytics");
        assertThat(again.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(harness.estate.tags("reports")).containsEntry(TagsRule.CREATED_BY, "arn:aws:iam::123456789012:role/someone-else");
        assertThat(harness.estate.drainAlerts()).as("routine bookkeeping is recorded in the ledger, not alerted").isEmpty();
    }

    @Test
    void aCreatorTagSetBeforeDdbWarden_shouldBeLeft_andAlertedMedium() throws Exception {
        harness.estate.createTable("reports", true);
        tag("reports", TagsRule.CREATED_BY, "arn:aws:iam::123456789012:role/platform");

        JsonNode result = invoke(Map.of("TAG_CREATOR", "true", "VERIFY_ACTORS", "false"), "create-table-tagged.json");

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("MEDIUM");
        assertThat(harness.estate.tags("reports")).containsEntry(TagsRule.CREATED_BY, "arn:aws:iam::123456789012:role/platform")
                .containsEntry(TagsRule.CREATED_AT, "2024-05-14T10:08:15Z");
    }

    @Test
    void theCreatorTagsRemoved_shouldBeAlertedMedium() throws Exception {
        harness.estate.createTable("payments", true);

        JsonNode result = invoke(Map.of(), "untag-resource-created-by.json");

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("MEDIUM");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Subject").asText()).contains("creator tag removed"));
    }
}
