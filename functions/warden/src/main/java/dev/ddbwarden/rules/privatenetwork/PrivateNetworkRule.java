package dev.ddbwarden.rules.privatenetwork;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Json;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.RuleSetting;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.CallReads;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A private table is reached only through its VPC endpoints: its resource policy holds ddb-warden's statement
 * {@link NetworkStatement#SID}, which denies DynamoDB to requests from anywhere else while sparing what keeps the
 * table alive. A table is private by a glob of PRIVATE_TABLES, or by a {@code ddb-warden:network} tag a trusted
 * principal set ({@link NetworkDecision}). The statement is added when the table is created or the tag appears, and
 * put back when a PutResourcePolicy or DeleteResourcePolicy takes it away (HIGH), revision-safely and keeping the
 * owner's other statements, as the public-access rule writes policies. Where a trail logs DynamoDB data events, a
 * data call on a private table from outside its endpoints is alerted ({@link DataCalls}).
 */
public final class PrivateNetworkRule implements Rule {
    public static final String RULE = "private-network";
    /** The tag that opts a table in; its value is the VPC endpoint IDs it is reached through, comma-separated. */
    public static final String TAG_KEY = "ddb-warden:network";
    static final String CREATE_TABLE = "CreateTable";
    static final String TAG_RESOURCE = "TagResource";
    private static final String PUT_RESOURCE_POLICY = "PutResourcePolicy";
    private static final String DELETE_RESOURCE_POLICY = "DeleteResourcePolicy";
    private static final List<Trigger> TRIGGERS = Stream.concat(Stream.of(Trigger.on(CREATE_TABLE),
            Trigger.on(TAG_RESOURCE, "tags.key"), Trigger.on(PUT_RESOURCE_POLICY), Trigger.on(DELETE_RESOURCE_POLICY)),
            DataCalls.NAMES.stream().sorted().map(Trigger::on)).toList();

    private final StatementEndpoints statements;

    public PrivateNetworkRule() {
        this(new StatementEndpoints());
    }

    /** Tests hand in their own reads of a data event's table. */
    PrivateNetworkRule(StatementEndpoints statements) {
        this.statements = statements;
    }

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "PrivateNetworkFunction";
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    @Override
    public List<RuleSetting<?>> settings() {
        return List.of(NetworkSettings.PRIVATE_TABLES, NetworkSettings.ALLOWED_VPC_ENDPOINTS, NetworkSettings.NETWORK_TAGS);
    }

    @Override
    public Set<String> tableActions() {
        return TableReader.actionsWith("dynamodb:PutResourcePolicy");
    }

    @Override
    public List<Augment<?>> augments() {
        return List.of(ResourcePolicies.AUGMENT);
    }

    @Override
    public List<CallAugment<?>> callAugments() {
        return List.of(statements);
    }

    /** A data event is decided on the record and its tables' statements and holds, alerted once per table, source and hour. */
    @Override
    public List<TableRef> subjects(ApiCall call) {
        return DataCalls.NAMES.contains(call.eventName()) ? List.of() : Rule.super.subjects(call);
    }

    /** A data event's findings, one per private table it reached from outside that table's endpoints. */
    @Override
    public List<ResourceFinding> evaluateResources(ApiCall call, CallReads reads, Settings settings) {
        return DataCalls.judge(call, reads, settings);
    }

    @Override
    public Set<Hold.Kind> holds() {
        return Set.of(Hold.Kind.NETWORK);
    }

    @Override
    public Class<PrivateNetworkRemedy> remedies() {
        return PrivateNetworkRemedy.class;
    }

    @Override
    public List<Fix<?>> fixes(FixContext context) {
        return List.<Fix<?>>of(new ProtectFix(context.dynamo(), context.holds(), context.clock()));
    }

    /** A trusted principal's tag is recorded only once CloudTrail confirms who set it. */
    @Override
    public boolean decidesOnActor() {
        return true;
    }

    /**
     * Unconfirmed, no tag opts a table in; the security roles stay in the settings, since the statement spares them
     * whoever acted (dropping them, as other rules do, would lock the security team out of a table on a forged event).
     */
    @Override
    public Settings unconfirmed(Settings settings) {
        return settings.withoutApprovals().withRuleSetting(NetworkSettings.NETWORK_TAGS.name(), "false");
    }

    /** PRIVATE_TABLES without an endpoint to reach them through would cut those tables off from every caller. */
    @Override
    public void requireSettings(Settings settings, Supplier<String> homeRegion) {
        if (!NetworkSettings.PRIVATE_TABLES.in(settings).globs().isEmpty()
                && NetworkSettings.ALLOWED_VPC_ENDPOINTS.in(settings).isEmpty()) {
            throw new ConfigException(NetworkSettings.ALLOWED_VPC_ENDPOINTS.name(),
                    "is empty while PRIVATE_TABLES names tables: they would be reachable through no VPC endpoint");
        }
    }

    /**
     * Decided once the live state shows what the call did: the tag a TagResource set, the revision a PutResourcePolicy
     * made, no policy after a DeleteResourcePolicy (a read may return the previous policy for a moment, which would
     * look compliant).
     */
    @Override
    public boolean isCurrent(ApiCall call, TableState state) {
        ResourcePolicies policies = state.augment(ResourcePolicies.class).orElse(ResourcePolicies.NONE);
        return switch (call.eventName()) {
            case TAG_RESOURCE -> !call.requestParameters().path("tags").findValuesAsText("key").contains(TAG_KEY)
                    || state.tags().containsKey(TAG_KEY);
            case DELETE_RESOURCE_POLICY -> policies.table().isEmpty();
            case PUT_RESOURCE_POLICY -> {
                String produced = Json.text(call.responseElements(), "revisionId");
                yield produced.isEmpty() || policies.of(call.request("resourceArn")).map(p -> p.revisionId().equals(produced)).orElse(false);
            }
            default -> true;
        };
    }

    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings,
                                  Instant now) {
        if (state.isEmpty()) {
            return List.of();
        }
        return NetworkDecision.judge(call, table, state.get(), settings);
    }
}
