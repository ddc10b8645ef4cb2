package dev.ddbwarden.rules.regionguard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.NewReplicas;
import dev.ddbwarden.check.QuarantineStatement;
import dev.ddbwarden.check.QuarantineSteps;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.AllowedRegions;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.Replicas;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Tables hold data only in the allowed regions. A table created elsewhere is quarantined in place, its
 * data kept; a replica added elsewhere is removed (its data lives on in the source); a legacy global
 * table, which takes no resource policy, is reported with the steps. The law has no exemptions: an
 * exempt table is still reported, only not quarantined.
 */
public final class RegionGuardRule implements Rule {
    public static final String RULE = "region-guard";

    private static final String UPDATE_TABLE = "UpdateTable";
    private static final Set<String> LEGACY = Set.of("CreateGlobalTable", "UpdateGlobalTable");
    private static final List<Trigger> TRIGGERS = List.of(Trigger.on("CreateTable"), Trigger.on("RestoreTableFromBackup"),
            Trigger.on("RestoreTableToPointInTime"), Trigger.on("ImportTable"), Trigger.on("CreateGlobalTable"),
            Trigger.on("UpdateGlobalTable"), Trigger.on(UPDATE_TABLE, "replicaUpdates.create.regionName"),
            Trigger.from(Trigger.BACKUP, ApiCall.BACKUP_RESTORE));

    /** An ALLOWED_REGIONS it cannot trust (empty, or without the home region) would quarantine everything: refused. */
    @Override
    public void requireSettings(Settings settings, Supplier<String> homeRegion) {
        AllowedRegions.require(settings.allowedRegions(), homeRegion.get());
    }

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "RegionGuardFunction";
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    @Override
    public Set<String> tableActions() {
        return TableReader.actionsWith("dynamodb:PutResourcePolicy", "dynamodb:TagResource", "dynamodb:UpdateTable",
                "dynamodb:DeleteTableReplica", "dynamodb:DeleteTable");
    }

    @Override
    public Class<RegionGuardRemedy> remedies() {
        return RegionGuardRemedy.class;
    }

    @Override
    public List<Fix<?>> fixes(FixContext context) {
        return List.<Fix<?>>of(new QuarantineFix(context.dynamo(), context.holds(), context.clock()),
                new RemoveReplicasFix(context.dynamo()));
    }

    /** The policies to add the quarantine statement to, and the replicas to remove. */
    @Override
    public List<Augment<?>> augments() {
        return List.of(ResourcePolicies.AUGMENT, Replicas.AUGMENT);
    }

    @Override
    public boolean honoursExemptions() {
        return false;
    }

    /** After an UpdateTable adding replicas, the live table lists them (DescribeTable may lag the write). */
    @Override
    public boolean isCurrent(ApiCall call, TableState state) {
        return replicaRegions(state).containsAll(NewReplicas.regions(call));
    }

    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings,
                                  Instant now) {
        if (LEGACY.contains(call.eventName())) {
            return legacyReplicas(call, table, settings);
        }
        if (state.isEmpty()) {
            return List.of();
        }
        if (UPDATE_TABLE.equals(call.eventName())) {
            return replicas(call, table, state.get(), settings);
        }
        List<Finding> created = created(call, table, state.get(), settings);
        // The sweep has no event to say how the table came about: its replicas are checked too.
        return created.isEmpty() && call.isSweep()
                ? replicas(call, table, state.get(), settings)
                : created;
    }

    private static List<Finding> created(ApiCall call, TableRef table, TableState state, Settings settings) {
        if (settings.allowedRegions().contains(table.region()) || isQuarantined(state)) {
            return List.of();
        }
        String how = call.isSweep()
                ? " is in " + table.region() + " (the scheduled sweep found it; no event announced it)"
                : " was created in " + table.region() + " by " + call.actor().describe() + " (" + call.eventName() + ")";
        String where = "Table " + table.name() + how + ", outside the regions where the business may hold data ("
                + String.join(", ", settings.allowedRegions()) + ").\n\n";
        String detail = where + QuarantineSteps.forTable(table, state, settings);
        if (settings.isExempt(table.name())) {
            return List.of(finding(table, "forbidden region (exempt)", where + QuarantineSteps.forUnquarantined(table),
                    new Remedy.AlertOnly("The table is exempt from quarantine (EXEMPT_TABLES), not from the law:"
                            + " move or delete its data as above.")));
        }
        List<String> spared = QuarantineStatement.spared(table, settings.quarantineExemptPrincipals());
        ResourcePolicies read = policies(state);
        List<Remedy.PolicyCut> policies = new ArrayList<>();
        try {
            quarantineCut(table.arn(), read.table(), List.of(table.arn(), table.arn() + "/index/*"), spared)
                    .ifPresent(policies::add);
            if (!read.streamArn().isEmpty()) {
                quarantineCut(read.streamArn(), read.stream(), List.of(read.streamArn()), spared)
                        .ifPresent(policies::add);
            }
        } catch (IllegalArgumentException unreadable) {
            return List.of(finding(table, "forbidden region, policy unreadable",
                    where + QuarantineSteps.forUnquarantined(table) + "\n\nddb-warden could not add its quarantine statement: "
                            + Excerpt.line(unreadable.getMessage()) + ".",
                    new Remedy.AlertOnly("Quarantine the table by hand: fix its resource policy, then add the statement"
                            + " " + QuarantineStatement.SID + " described above.")));
        }
        // DynamoDB tag values take letters, digits, spaces and + - = . _ : / @ only.
        String tag = "forbidden region " + table.region() + " event " + call.eventId();
        return List.of(finding(table, "table in a forbidden region", detail, new RegionGuardRemedy.Quarantine(policies, tag)));
    }

    private static Optional<Remedy.PolicyCut> quarantineCut(String resourceArn, Optional<ResourcePolicy> policy,
                                                            List<String> resources, List<String> spared) {
        if (policy.isPresent() && QuarantineStatement.isIn(policy.get().document())) {
            return Optional.empty();
        }
        return Optional.of(new Remedy.PolicyCut(resourceArn,
                policy.map(ResourcePolicy::revisionId).orElse(Remedy.PolicyCut.NO_POLICY),
                Optional.of(QuarantineStatement.addedTo(policy.map(ResourcePolicy::document), resources, spared)),
                List.of()));
    }

    private static boolean isQuarantined(TableState state) {
        ResourcePolicies policies = policies(state);
        boolean table = policies.table().map(p -> QuarantineStatement.isIn(p.document())).orElse(false);
        boolean stream = policies.streamArn().isEmpty()
                || policies.stream().map(p -> QuarantineStatement.isIn(p.document())).orElse(false);
        return table && stream && state.tags().containsKey(QuarantineStatement.TAG_KEY);
    }

    private static ResourcePolicies policies(TableState state) {
        return state.augment(ResourcePolicies.class).orElse(ResourcePolicies.NONE);
    }

    static List<String> replicaRegions(TableState state) {
        return state.augment(Replicas.class).map(Replicas::regions).orElse(List.of());
    }

    /** Replicas of a global table: decided on the live table, never on the event, and never the source itself. */
    private static List<Finding> replicas(ApiCall call, TableRef table, TableState state, Settings settings) {
        List<String> forbidden = replicaRegions(state).stream()
                .filter(region -> !settings.allowedRegions().contains(region))
                .sorted()
                .collect(Collectors.toList());
        if (forbidden.isEmpty()) {
            return List.of();
        }
        String detail = "Table " + table.name() + " in " + table.region() + " has replicas in " + String.join(", ", forbidden)
                + ", outside the regions where the business may hold data (" + String.join(", ", settings.allowedRegions())
                + "); " + call.actor().describe() + " added them with " + call.eventName() + ". The source table and its"
                + " data stay where they are.";
        Remedy remedy = settings.isExempt(table.name())
                ? new Remedy.AlertOnly("The table is exempt from remediation, not from the law: remove the replicas with "
                        + new RegionGuardRemedy.RemoveReplicas(forbidden).manualStep(table))
                : new RegionGuardRemedy.RemoveReplicas(forbidden);
        return List.of(finding(table, "replica in a forbidden region", detail, remedy));
    }

    /** Legacy global tables (version 2017.11.29) take no resource policy: all ddb-warden can do is tell. */
    private static List<Finding> legacyReplicas(ApiCall call, TableRef table, Settings settings) {
        Set<String> regions = new TreeSet<>();
        regionNames(call.requestParameters().path("replicationGroup"), regions);
        JsonNode updates = call.requestParameters().path("replicaUpdates");
        if (updates.isArray()) {
            updates.forEach(update -> regionNames(update.path("create"), regions));
        }
        regions.removeAll(settings.allowedRegions());
        if (regions.isEmpty()) {
            return List.of();
        }
        String name = call.request("globalTableName").isEmpty()
                ? table.name() : Excerpt.line(call.request("globalTableName"));
        return List.of(finding(table, "legacy global table in a forbidden region",
                "Legacy global table " + name + " (version 2017.11.29) now spans " + String.join(", ", regions)
                        + ", outside the regions where the business may hold data (" + String.join(", ", settings.allowedRegions())
                        + "), by " + call.actor().describe() + ". Legacy replicas take no resource policy, so ddb-warden"
                        + " cannot quarantine them.",
                new Remedy.AlertOnly(regions.stream()
                        .map(r -> "aws dynamodb update-global-table --global-table-name " + name
                                + " --replica-updates Delete={RegionName=" + r + "}   # then delete the table in " + r
                                + " once its data is no longer needed, or export it to an allowed region first")
                        .collect(Collectors.joining("\n    ")))));
    }

    private static void regionNames(JsonNode node, Set<String> regions) {
        if (node.isArray()) {
            node.forEach(each -> regionNames(each, regions));
        } else if (node.path("regionName").isTextual()) {
            regions.add(node.path("regionName").asText());
        }
    }

    private static Finding finding(TableRef table, String title, String detail, Remedy remedy) {
        return new Finding(RULE, Severity.HIGH, table, title, detail, remedy);
    }
}
