package dev.ddbwarden.rules.tags;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.RuleSetting;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Tables carry the tags that say whose they are. A table created, restored or imported without a tag REQUIRED_TAGS
 * names (or with a value it does not allow), or an UntagResource that takes one away, is alerted LOW: ddb-warden
 * cannot know the right owner, so it never writes those tags, and the alert is the whole response whatever the
 * rule's mode. The decision is on the table's live tags, read again for a moment while they lack what is required:
 * a tag the same pipeline adds just after creating the table is fine. The sweep reports every table that lacks them.
 *
 * <p>With TAG_CREATOR=true, a table created, restored or imported through a CloudTrail-recorded call is tagged
 * {@code ddb-warden:created-by} (the caller's ARN, as CloudTrail records it) and {@code ddb-warden:created-at} (the
 * call's time), as Cloud Custodian's auto-tag-user does. The caller is confirmed against CloudTrail's own record
 * before a tag names it, and a tag already set is never overwritten. Nothing in ddb-warden reads these tags to
 * relax anything: they tell people, and the ledger's entry, not the tag, is the record ddb-warden trusts.
 */
public final class TagsRule implements Rule {
    public static final String RULE = "tags";
    /** The tag naming who created the table, written only by ddb-warden. */
    public static final String CREATED_BY = "ddb-warden:created-by";
    /** The tag naming when the table was created, written only by ddb-warden. */
    public static final String CREATED_AT = "ddb-warden:created-at";
    static final String UNTAG_RESOURCE = "UntagResource";
    /** The CloudTrail calls that make a table: their caller is who created it. */
    static final List<String> RECORDED_NEW_TABLE_CALLS = List.of("CreateTable", "RestoreTableFromBackup",
            "RestoreTableToPointInTime", "ImportTable");
    private static final List<Trigger> TRIGGERS = List.of(Trigger.on("CreateTable"), Trigger.on("RestoreTableFromBackup"),
            Trigger.on("RestoreTableToPointInTime"), Trigger.on("ImportTable"), Trigger.on(UNTAG_RESOURCE),
            Trigger.from(Trigger.BACKUP, ApiCall.BACKUP_RESTORE));
    /** The tags every table carries: {@code owner,env=prod|staging}; empty requires none. */
    public static final RuleSetting<RequiredTags> REQUIRED_TAGS = new RuleSetting<>("REQUIRED_TAGS", RequiredTags::parse,
            RequiredTags.NONE);
    /** Whether new tables are tagged with their creator and creation time: true or false, default false. */
    public static final RuleSetting<Boolean> TAG_CREATOR = new RuleSetting<>("TAG_CREATOR", raw -> {
        String word = raw.strip().toLowerCase(Locale.ROOT);
        if (!word.equals("true") && !word.equals("false")) {
            throw new ConfigException("TAG_CREATOR", "'" + raw + "' is not true or false");
        }
        return Boolean.valueOf(word);
    }, false);

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "TableTagsFunction";
    }

    @Override
    public List<RuleSetting<?>> settings() {
        return List.of(REQUIRED_TAGS, TAG_CREATOR);
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    /** The spine's reads (the tags among them), and the creator tags' re-read and write. */
    @Override
    public Set<String> tableActions() {
        return TableReader.actionsWith("dynamodb:TagResource");
    }

    @Override
    public Class<TagsRemedy> remedies() {
        return TagsRemedy.class;
    }

    @Override
    public List<Fix<?>> fixes(FixContext context) {
        return List.<Fix<?>>of(new RecordCreatorFix(context.dynamo()));
    }

    /** A creator tag names who acted, so CloudTrail confirms who it was first (the role may call LookupEvents). */
    @Override
    public boolean decidesOnActor() {
        return true;
    }

    /**
     * Without CloudTrail's word on who acted, no creator tag is written (and none is judged against the caller): a
     * tag naming whoever a forged or unconfirmed event claims would launder the table's origin.
     */
    @Override
    public Settings unconfirmed(Settings settings) {
        return settings.withoutTrustedActors().withRuleSetting(TAG_CREATOR.name(), "false");
    }

    /**
     * A new table is decided once it is ACTIVE and carries what REQUIRED_TAGS asks, or when the re-reads end; an
     * UntagResource once the live tags no longer show what it removed (tags are eventually consistent for a few
     * seconds: API Reference, TagResource and UntagResource).
     */
    @Override
    public boolean isCurrent(ApiCall call, TableState state, Settings settings) {
        if (UNTAG_RESOURCE.equals(call.eventName())) {
            return removedKeys(call).stream().noneMatch(state.tags()::containsKey);
        }
        if (call.isSweep()) {
            return true;
        }
        return "ACTIVE".equals(state.status()) && REQUIRED_TAGS.in(settings).problems(state.tags()).isEmpty();
    }

    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings,
                                  Instant now) {
        if (state.isEmpty()) {
            return List.of();
        }
        RequiredTags required = REQUIRED_TAGS.in(settings);
        TableState live = state.get();
        if (UNTAG_RESOURCE.equals(call.eventName())) {
            Set<String> removed = removedKeys(call);
            List<String> problems = required.only(removed).problems(live.tags());
            List<String> origin = removed.stream().filter(key -> key.equals(CREATED_BY) || key.equals(CREATED_AT))
                    .filter(key -> !live.tags().containsKey(key)).toList();
            return problems.isEmpty() && origin.isEmpty() ? List.of()
                    : List.of(TagsTexts.untagged(call, table, required, problems, origin));
        }
        List<String> problems = required.problems(live.tags());
        if (call.isSweep()) {
            return problems.isEmpty() ? List.of() : List.of(TagsTexts.sweepMissing(call, table, required, problems));
        }
        Optional<Creator> creator = TAG_CREATOR.in(settings) && RECORDED_NEW_TABLE_CALLS.contains(call.eventName())
                ? Creator.of(call, live.tags()) : Optional.empty();
        if (problems.isEmpty() && creator.map(Creator::nothingToDo).orElse(true)) {
            return List.of();
        }
        return List.of(TagsTexts.newTable(call, table, live, required, problems, creator));
    }

    /** The keys an UntagResource removes. */
    static Set<String> removedKeys(ApiCall call) {
        Set<String> keys = new LinkedHashSet<>();
        for (JsonNode key : call.requestParameters().path("tagKeys")) {
            if (key.isTextual()) {
                keys.add(key.asText());
            }
        }
        return keys;
    }
}
