package dev.ddbwarden.rules.privatenetwork;

import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.config.TableGlobs;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.event.DataTables;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.CallReads;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * DynamoDB data events (a trail that logs them delivers GetItem, BatchWriteItem, ExecuteStatement, ... to EventBridge as
 * "AWS API Call via CloudTrail") on a private table that did not come through one of its VPC endpoints: HIGH, at most
 * once per table, source and UTC hour (the ledger's once-per-occurrence key), every such call counted. A call touching
 * several tables (a batch, a transaction, PartiQL) is judged for each ({@link DataTables}). A table is private when
 * PRIVATE_TABLES names it, when the ledger holds a trusted principal's {@code ddb-warden:network} tag for it, or when its
 * live policy holds {@link NetworkStatement#SID}: its endpoints are all of theirs, so none of the three can make it
 * less private than another says (a ledger that could not be read leaves the other two). A call through an allowed
 * endpoint, or by a principal the statement spares, is fine. A refused call is not a reach: the statement did its work.
 * Pure.
 */
final class DataCalls {
    /** The data-plane calls of DynamoDB whose records name the tables they touch. */
    static final Set<String> NAMES = Set.of("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
            "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems",
            "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);
    /** What a source may look like in a ledger key: an IP address, a host name, a VPC endpoint ID. */
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9.:-]{1,128}");

    private DataCalls() {
    }

    static List<ResourceFinding> judge(ApiCall call, CallReads reads, Settings settings) {
        if (!NAMES.contains(call.eventName()) || call.failed() || call.eventTime().isEmpty()) {
            return List.of();
        }
        List<ResourceFinding> findings = new ArrayList<>();
        for (TableRef table : DataTables.of(call)) {
            judge(call, table, reads, settings).ifPresent(findings::add);
        }
        return findings;
    }

    private static Optional<ResourceFinding> judge(ApiCall call, TableRef table, CallReads reads, Settings settings) {
        Set<String> endpoints = new TreeSet<>();
        List<String> privateBy = new ArrayList<>();
        if (NetworkSettings.PRIVATE_TABLES.in(settings).matches(table.name())) {
            endpoints.addAll(NetworkSettings.ALLOWED_VPC_ENDPOINTS.in(settings));
            privateBy.add("PrivateTables names it");
        }
        Optional<List<String>> held = reads.get(Hold.OnTables.class).flatMap(on -> on.on(table.arn()).of(Hold.Kind.NETWORK))
                .flatMap(Hold::value).flatMap(NetworkSettings::endpoints).filter(ids -> !ids.isEmpty());
        held.ifPresent(ids -> {
            endpoints.addAll(ids);
            privateBy.add("a trusted principal tagged it " + PrivateNetworkRule.TAG_KEY);
        });
        List<String> stated = reads.get(StatementEndpoints.Named.class).map(named -> named.of(table.arn())).orElse(List.of());
        if (!stated.isEmpty()) {
            endpoints.addAll(stated);
            privateBy.add("its policy holds " + NetworkStatement.SID);
        }
        String through = call.vpcEndpointId();
        if (endpoints.isEmpty() || endpoints.contains(through) || spared(call, table, settings)) {
            return Optional.empty();
        }
        String source = !through.isEmpty() ? through : call.sourceIp();
        String keyed = SOURCE.matcher(source).matches() ? source : "unknown";
        String from = through.isEmpty() ? "from " + Excerpt.line(source) + ", through no VPC endpoint"
                : "through VPC endpoint " + Excerpt.line(through) + ", which is not one of the table's";
        String detail = "Private table " + table.name() + " (reached only through " + String.join(", ", endpoints)
                + "; private because " + String.join(", and ", privateBy) + ") was called " + call.eventName() + " "
                + from + ", by " + call.actor().describe() + ", and DynamoDB answered. Either the table's policy did not"
                + " hold " + NetworkStatement.SID + " at that moment, or the request came in a way the statement does not"
                + " cover. ddb-warden alerts once per table, source and hour; later calls of the hour are counted in its"
                + " ledger.";
        return Optional.of(new ResourceFinding(PrivateNetworkRule.RULE, Severity.HIGH,
                new ResourceRef("DynamoDB table", table.name(), table.arn(), table.region(), table.accountId()),
                "reached from outside its VPC endpoints", detail,
                "Check the table's resource policy for " + NetworkStatement.SID + " (aws dynamodb get-resource-policy --region "
                        + table.region() + " --resource-arn " + table.arn() + "), find who called from " + Excerpt.line(source)
                        + " and why, and rotate what the table holds that must stay secret if the caller was not meant to"
                        + " read it.",
                "hour#" + HOUR.format(call.eventTime().get()) + "#" + keyed));
    }

    /** AWS services and the principals the statement spares reach a private table from anywhere by design. */
    private static boolean spared(ApiCall call, TableRef table, Settings settings) {
        return "AWSService".equals(call.actor().type()) || new TableGlobs(NetworkStatement.spared(table,
                settings.quarantineExemptPrincipals())).matches(call.actor().principalArn());
    }
}
