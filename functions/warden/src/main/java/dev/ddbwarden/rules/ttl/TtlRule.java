package dev.ddbwarden.rules.ttl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.config.TableGlobs;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.RuleSetting;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A table keeps Time to Live (TTL) off unless it declares it: TTL over a timestamp attribute makes DynamoDB
 * delete every item whose time has passed, the quietest way to destroy a table's data. A table declares TTL by
 * a glob in TTL_TABLES, or by the tag {@code ddb-warden:ttl=<attribute>} naming the attribute TTL is on for,
 * which counts only beside the ledger's record that an approved principal or security role set it (a TTL
 * {@link Hold}, recorded when this rule sees the TagResource, or the CreateTable whose tags carry it, and CloudTrail
 * confirms who made it). TTL turned on for an undeclared table by anyone but an approved principal is turned off
 * again (HIGH); DynamoDB refuses that for up to an hour after the change, so the fix is retried from the re-check
 * queue. The sweep reports undeclared TTL without changing it: it cannot tell who turned it on or when, and TTL a
 * team has relied on for years is its data's lifecycle, not an attack.
 */
public final class TtlRule implements Rule {
    public static final String RULE = "ttl";
    /** The tag that declares a table's TTL attribute; its value is the attribute. */
    public static final String TAG_KEY = "ddb-warden:ttl";
    static final String UPDATE_TIME_TO_LIVE = "UpdateTimeToLive";
    static final String TAG_RESOURCE = "TagResource";
    /** A table's first tags come with its CreateTable (restores and imports take none: they are tagged afterwards). */
    static final String CREATE_TABLE = "CreateTable";
    private static final String SPECIFICATION = "timeToLiveSpecification";
    private static final List<Trigger> TRIGGERS = List.of(Trigger.on(UPDATE_TIME_TO_LIVE, SPECIFICATION + ".enabled"),
            Trigger.on(TAG_RESOURCE, "tags.key"), Trigger.on(CREATE_TABLE, "tags.key"));
    /** Tables that may keep TTL on whatever its attribute: names or globs, as EXEMPT_TABLES takes them. */
    public static final RuleSetting<TableGlobs> TTL_TABLES = new RuleSetting<>("TTL_TABLES", TtlTables::parse,
            new TableGlobs(List.of()));

    /**
     * TTL as DescribeTimeToLive tells it: the state this rule reads beyond {@link TableState}.
     *
     * @param status    ENABLED, ENABLING, DISABLING or DISABLED
     * @param attribute the attribute TTL reads, empty when the table never had TTL
     */
    public record Ttl(String status, String attribute) {
        static final String DISABLING = "DISABLING";
        public static final Ttl OFF = new Ttl("DISABLED", "");

        /** Whether DynamoDB deletes, or is about to delete, expired items. */
        public boolean on() {
            return "ENABLED".equals(status) || "ENABLING".equals(status);
        }
    }

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "TtlFunction";
    }

    @Override
    public List<RuleSetting<?>> settings() {
        return List.of(TTL_TABLES);
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    @Override
    public Set<String> tableActions() {
        return TableReader.actionsWith("dynamodb:DescribeTimeToLive", "dynamodb:UpdateTimeToLive");
    }

    @Override
    public List<Augment<?>> augments() {
        return List.of(new TtlAugment());
    }

    @Override
    public Set<Hold.Kind> holds() {
        return Set.of(Hold.Kind.TTL);
    }

    @Override
    public Class<TtlRemedy> remedies() {
        return TtlRemedy.class;
    }

    @Override
    public List<Fix<?>> fixes(FixContext context) {
        return List.<Fix<?>>of(new DisableTtlFix(context.dynamo()), new RecordDeclarationFix(context.dynamo(), context.holds(), context.clock()));
    }

    /** An approved principal's TTL, and a trusted principal's declaration, are honoured: CloudTrail confirms who. */
    @Override
    public boolean decidesOnActor() {
        return true;
    }

    /** Decided once the live state shows what the call asked (DescribeTimeToLive and tags may lag a moment). */
    @Override
    public boolean isCurrent(ApiCall call, TableState state) {
        if (tags(call)) {
            return taggedValue(call).map(value -> value.equals(state.tags().get(TAG_KEY))).orElse(true);
        }
        JsonNode asked = call.requestParameters().path(SPECIFICATION);
        Optional<Ttl> live = state.augment(Ttl.class);
        if (!UPDATE_TIME_TO_LIVE.equals(call.eventName()) || live.isEmpty() || !asked.path("enabled").isBoolean()) {
            return true;
        }
        return asked.path("enabled").asBoolean()
                ? live.get().on() && live.get().attribute().equals(asked.path("attributeName").asText())
                : !live.get().on();
    }

    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings,
                                  Instant now) {
        if (state.isEmpty()) {
            return List.of();
        }
        if (tags(call)) {
            return TtlDeclarations.judge(call, table, state.get(), settings);
        }
        Optional<Ttl> ttl = state.get().augment(Ttl.class);
        if (ttl.isEmpty() || !ttl.get().on()) {
            return List.of();
        }
        String attribute = ttl.get().attribute();
        if (TtlDeclarations.declared(table, state.get(), attribute, settings)) {
            return List.of();
        }
        return List.of(TtlTexts.undeclared(call, table, state.get(), attribute,
                settings.approvedPrincipals().contains(call.actor().principalArn())));
    }

    /** Whether {@code call} sets tags (a TagResource, or a CreateTable with its Tags): a possible declaration. */
    private static boolean tags(ApiCall call) {
        return TAG_RESOURCE.equals(call.eventName()) || CREATE_TABLE.equals(call.eventName());
    }

    /** The value of the {@code ddb-warden:ttl} tag a TagResource or CreateTable sets, if it sets one. */
    static Optional<String> taggedValue(ApiCall call) {
        for (JsonNode tag : call.requestParameters().path("tags")) {
            if (TAG_KEY.equals(tag.path("key").asText()) && tag.path("value").isTextual()) {
                return Optional.of(tag.path("value").asText());
            }
        }
        return Optional.empty();
    }

    /** What a person runs to declare TTL on {@code attribute}, as an approved principal or security role. */
    static String declareStep(TableRef table, String attribute) {
        return "add the table's name (or a glob) to the TtlTables parameter (TTL_TABLES), or, as a role in"
                + " ApprovedPrincipals or QuarantineExemptPrincipals, tag it: aws dynamodb tag-resource --region "
                + table.region() + " --resource-arn " + table.arn() + " --tags Key=" + TAG_KEY + ",Value=" + attribute;
    }

    /** The sweep's remedy: it reports and changes nothing, and names both ways out. */
    static Remedy reportOnly(TableRef table, String attribute) {
        return new Remedy.AlertOnly("If the table's TTL is intended, declare it: " + declareStep(table, attribute)
                + ". If not, turn it off: " + new TtlRemedy.DisableTtl(attribute).manualStep(table));
    }
}
