package dev.ddbwarden.rules.tags;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure check on the samples in events/, as EventBridge delivers them. */
class TagsRuleTest {
    private static final Instant NOW = Instant.parse("2024-05-14T10:10:00Z");
    private static final String ALICE = "arn:aws:sts::123456789012:assumed-role/developer/alice";
    private static final Settings OWNER_AND_ENV = settings(Map.of("REQUIRED_TAGS", "owner, env=prod|staging"));
    private static final Settings CREATOR = settings(Map.of("TAG_CREATOR", "true"));

    private final TagsRule rule = new TagsRule();

    private static Settings settings(Map<String, String> values) {
        return Settings.from(values::get, Rules.settingNames());
    }

    private static ApiCall sample(String file) throws IOException {
        return TestEvents.call(TestEvents.tree(Files.readString(Path.of("../../events", file))));
    }

    private static TableRef tableOf(ApiCall call) {
        return TableLocator.locate(call).orElseThrow();
    }

    private List<Finding> decide(ApiCall call, Map<String, String> tags, Settings settings) {
        TableRef table = tableOf(call);
        return rule.evaluate(call, table, Optional.of(new TableState(table, "ACTIVE", tags)), settings, NOW);
    }

    @Test
    void createdWithoutRequiredTags_shouldAlertLow_withTheCommandToTagIt() throws IOException {
        List<Finding> findings = decide(sample("create-table-unprotected.json"), Map.of("env", "dev"), OWNER_AND_ENV);

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.LOW);
            assertThat(finding.title()).isEqualTo("required tags missing");
            assertThat(finding.detail()).contains("no owner tag", "env=dev is not prod or staging", ALICE);
            assertThat(finding.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(finding.remedy().manualStep(finding.table())).contains("aws dynamodb tag-resource --region us-east-1",
                    "Key=owner,Value=<value>", "Key=env,Value=<prod|staging>");
        });
    }

    @Test
    void createdWithTheRequiredTags_orNoneRequired_shouldBeCompliant() throws IOException {
        ApiCall tagged = sample("create-table-tagged.json");

        assertThat(decide(tagged, Map.of("owner", "analytics", "env", "prod"), OWNER_AND_ENV)).isEmpty();
        assertThat(decide(tagged, Map.of(), settings(Map.of()))).as("no REQUIRED_TAGS, no TAG_CREATOR").isEmpty();
    }

    @Test
    void untagOfARequiredKey_shouldAlertLow_onlyWhileTheLiveTagsLackIt() throws IOException {
        ApiCall untag = sample("untag-resource-required-tag.json");

        assertThat(decide(untag, Map.of("env", "prod"), OWNER_AND_ENV)).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.LOW);
            assertThat(finding.title()).isEqualTo("required tag removed");
            assertThat(finding.detail()).contains("lacks what RequiredTags asks: no owner tag.");
        });
        assertThat(decide(untag, Map.of("owner", "platform", "env", "prod"), OWNER_AND_ENV)).as("written back").isEmpty();
        assertThat(decide(untag, Map.of(), settings(Map.of("REQUIRED_TAGS", "env")))).as("owner is not required").isEmpty();
    }

    @Test
    void untagOfTheCreatorTags_shouldAlertMedium() throws IOException {
        assertThat(decide(sample("untag-resource-created-by.json"), Map.of(), settings(Map.of()))).singleElement()
                .satisfies(finding -> {
                    assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
                    assertThat(finding.title()).isEqualTo("creator tag removed");
                    assertThat(finding.detail()).contains(TagsRule.CREATED_BY, TagsRule.CREATED_AT);
                });
    }

    @Test
    void tagCreator_shouldTagTheCallersArnAndTheCallsTime() throws IOException {
        ApiCall created = sample("create-table-tagged.json");

        assertThat(decide(created, Map.of(), CREATOR)).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.LOW);
            assertThat(finding.title()).isEqualTo("creator recorded");
            assertThat(finding.remedy()).isEqualTo(new TagsRemedy.RecordCreator(Map.of(TagsRule.CREATED_BY, ALICE,
                    TagsRule.CREATED_AT, "2024-05-14T10:08:15Z"), true));
            assertThat(finding.remedy().routine()).as("the creator tags are the finding's whole business").isTrue();
        });
    }

    @Test
    void tagCreator_onATableLackingARequiredTag_shouldBeNoRoutineRemedy() throws IOException {
        Settings both = settings(Map.of("TAG_CREATOR", "true", "REQUIRED_TAGS", "owner"));

        assertThat(decide(sample("create-table-tagged.json"), Map.of(), both)).singleElement().satisfies(finding -> {
            assertThat(finding.title()).isEqualTo("required tags missing");
            assertThat(finding.remedy()).isInstanceOf(TagsRemedy.RecordCreator.class);
            assertThat(finding.remedy().routine()).as("the missing tag is alerted").isFalse();
        });
    }

    @Test
    void tagCreator_shouldNeverOverwrite_andSayWhenTheTagNamesSomeoneElse() throws IOException {
        ApiCall created = sample("create-table-tagged.json");
        Map<String, String> laundered = Map.of(TagsRule.CREATED_BY, "arn:aws:iam::123456789012:role/platform");

        assertThat(decide(created, laundered, CREATOR)).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(finding.title()).isEqualTo("creator tag disagrees with CloudTrail");
            assertThat(finding.remedy()).as("created-at only, and alerted").isEqualTo(new TagsRemedy.RecordCreator(
                    Map.of(TagsRule.CREATED_AT, "2024-05-14T10:08:15Z"), false));
        });
        assertThat(decide(created, Map.of(TagsRule.CREATED_BY, ALICE, TagsRule.CREATED_AT, "2024-05-14T10:08:15Z"), CREATOR))
                .as("already tagged").isEmpty();
    }

    @Test
    void anUnconfirmedActor_shouldGetNoCreatorTag() throws IOException {
        ApiCall created = sample("create-table-tagged.json");

        assertThat(decide(created, Map.of(), rule.unconfirmed(CREATOR))).isEmpty();
        assertThat(decide(created, Map.of(), CREATOR)).as("the gate sees a difference, so it asks CloudTrail")
                .isNotEqualTo(decide(created, Map.of(), rule.unconfirmed(CREATOR)));
    }

    @Test
    void anAwsBackupRestore_orTheSweep_shouldTagNoCreator() throws IOException {
        assertThat(decide(sample("backup-restore-completed.json"), Map.of(), CREATOR)).as("no CloudTrail caller").isEmpty();
        ApiCall sweep = ApiCall.sweep("s-1", "us-east-1", "123456789012", "orders", NOW);
        assertThat(decide(sweep, Map.of(), CREATOR)).isEmpty();
        assertThat(decide(sweep, Map.of("env", "prod"), OWNER_AND_ENV)).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.LOW);
            assertThat(finding.detail()).contains("no owner tag", "found by");
        });
    }

    @Test
    void aCallerArnDynamoDbWouldRefuse_shouldBeTaggedWithItsRefusedCharactersReplaced() {
        assertThat(Creator.tagValue("arn:aws:sts::123456789012:assumed-role/dev/alice@example.com,x"))
                .contains("arn:aws:sts::123456789012:assumed-role/dev/alice_example.com_x");
        assertThat(Creator.tagValue("arn:aws:iam::123456789012:user/" + "p/".repeat(120) + "bob")).isEmpty();
    }

    @Test
    void isCurrent_shouldWaitForActiveAndTheRequiredTags_andForAnUntagToShow() throws IOException {
        ApiCall created = sample("create-table-unprotected.json");
        TableRef orders = tableOf(created);

        assertThat(rule.isCurrent(created, new TableState(orders, "ACTIVE", Map.of("env", "prod")), OWNER_AND_ENV)).isFalse();
        assertThat(rule.isCurrent(created, new TableState(orders, "CREATING", Map.of("owner", "a", "env", "prod")), OWNER_AND_ENV))
                .isFalse();
        assertThat(rule.isCurrent(created, new TableState(orders, "ACTIVE", Map.of("owner", "a", "env", "prod")), OWNER_AND_ENV))
                .isTrue();
        ApiCall untag = sample("untag-resource-required-tag.json");
        TableRef payments = tableOf(untag);
        assertThat(rule.isCurrent(untag, new TableState(payments, "ACTIVE", Map.of("owner", "a")), OWNER_AND_ENV)).isFalse();
        assertThat(rule.isCurrent(untag, new TableState(payments, "ACTIVE", Map.of()), OWNER_AND_ENV)).isTrue();
    }

    @Test
    void requiredTags_shouldParseKeysAndAllowedValues() {
        RequiredTags parsed = TagsRule.REQUIRED_TAGS.parse().apply(" owner , env = prod | staging,cost-center ");

        assertThat(parsed.byKey()).containsExactly(Map.entry("owner", Set.of()), Map.entry("env", Set.of("prod", "staging")),
                Map.entry("cost-center", Set.of()));
        assertThat(parsed.describe()).isEqualTo("owner, env (prod or staging), cost-center");
    }

    @ParameterizedTest
    @ValueSource(strings = {"owner,owner", "own er", "env=", "=prod", "owner,,env", "team=a b", "owner;env", "owner@x"})
    void requiredTags_shouldRefuseWhatItCannotReadOneWay(String raw) {
        assertThatThrownBy(() -> TagsRule.REQUIRED_TAGS.parse().apply(raw)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("REQUIRED_TAGS");
    }

    @Test
    void ruleModes_shouldKnowTheRuleAsTags() {
        Settings notify = settings(Map.of("RULE_MODES", "tags=notify"));

        notify.ruleModes().requireKnown(Rules.all().stream().map(r -> r.name()).toList());
        assertThat(notify.modeOf(TagsRule.RULE).remediates()).isFalse();
        assertThat(notify.modeOf(TagsRule.RULE).off()).isFalse();
    }

    @Test
    void tagCreator_shouldBeTrueOrFalse() {
        assertThat(TagsRule.TAG_CREATOR.in(settings(Map.of()))).isFalse();
        assertThat(TagsRule.TAG_CREATOR.in(CREATOR)).isTrue();
        assertThatThrownBy(() -> TagsRule.TAG_CREATOR.parse().apply("yes")).isInstanceOf(ConfigException.class);
    }
}
