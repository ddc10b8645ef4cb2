package dev.ddbwarden.rules.privatenetwork;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which VPC endpoints a table is kept to, and whether its policy holds ddb-warden's statement for them. A table is
 * private by a glob of PRIVATE_TABLES (reached through ALLOWED_VPC_ENDPOINTS) or by its {@code ddb-warden:network}
 * tag; the statement cuts the table off from everything else, so anyone allowed dynamodb:TagResource could use the tag
 * to lock its owners out: it counts only beside the ledger's record that an approved principal or security role set
 * it, recorded when this rule sees their TagResource (or CreateTable) and CloudTrail confirms who made it. Pure.
 */
final class NetworkDecision {
    private static final Set<String> OPTING_IN = Set.of(PrivateNetworkRule.CREATE_TABLE, PrivateNetworkRule.TAG_RESOURCE);

    private NetworkDecision() {
    }

    static List<Finding> judge(ApiCall call, TableRef table, TableState state, Settings settings) {
        Set<String> endpoints = new TreeSet<>();
        if (NetworkSettings.PRIVATE_TABLES.in(settings).matches(table.name())) {
            endpoints.addAll(NetworkSettings.ALLOWED_VPC_ENDPOINTS.in(settings));
        }
        String tag = state.tags().get(PrivateNetworkRule.TAG_KEY);
        Optional<String> record = Optional.empty();
        boolean byTag = false;
        String ignored = "";
        if (tag != null) {
            Optional<List<String>> tagged = NetworkSettings.endpoints(tag).filter(ids -> !ids.isEmpty());
            if (tagged.isPresent() && held(state).filter(tag::equals).isPresent()) {
                endpoints.addAll(tagged.get());
                byTag = true;
            } else if (setsTag(call, tag)) {
                ignored = tagged.isEmpty() ? "its value is not a list of VPC endpoint IDs (vpce-...)" : distrust(call, settings);
                if (ignored.isEmpty()) {
                    endpoints.addAll(tagged.get());
                    record = Optional.of(tag);
                    byTag = true;
                }
            }
        }
        if (endpoints.isEmpty()) {
            return ignored.isEmpty() ? List.of() : List.of(ignoredTag(call, table, tag, ignored));
        }
        JsonNode expected = NetworkStatement.statement(table, endpoints, settings.quarantineExemptPrincipals());
        Optional<ResourcePolicy> policy = state.augment(ResourcePolicies.class).orElse(ResourcePolicies.NONE).table();
        Optional<JsonNode> present = policy.flatMap(p -> NetworkStatement.in(p.document()));
        List<String> ids = List.copyOf(endpoints);
        if (present.filter(expected::equals).isPresent()) {
            return record.map(tagValue -> List.of(new Finding(PrivateNetworkRule.RULE, Severity.LOW, table,
                    "private network tag recorded", "Table " + table.name() + " was tagged " + PrivateNetworkRule.TAG_KEY
                            + "=" + Excerpt.line(tagValue) + " by " + call.actor().describe() + ", an approved principal or"
                            + " security role, and its policy already holds " + NetworkStatement.SID + ".",
                    new PrivateNetworkRemedy.Protect(ids, Optional.of(tagValue), Optional.empty())))).orElse(List.of());
        }
        Remedy.PolicyCut cut;
        try {
            cut = new Remedy.PolicyCut(table.arn(), policy.map(ResourcePolicy::revisionId).orElse(Remedy.PolicyCut.NO_POLICY),
                    Optional.of(NetworkStatement.addedTo(policy.map(ResourcePolicy::document), expected)),
                    present.map(JsonNode::toString).stream().toList());
        } catch (IllegalArgumentException e) {
            return List.of(new Finding(PrivateNetworkRule.RULE, Severity.HIGH, table, "private table reachable from anywhere",
                    "Table " + table.name() + " must be reached only through " + String.join(", ", ids) + ", but ddb-warden"
                            + " cannot add " + NetworkStatement.SID + " to its resource policy: " + Excerpt.line(e.getMessage()) + ".",
                    new Remedy.AlertOnly("Fix the table's resource policy by hand and add ddb-warden's statement: "
                            + Excerpt.block(expected.toString()))));
        }
        boolean firstTime = OPTING_IN.contains(call.eventName()) && present.isEmpty();
        String why = firstTime ? "Table " + table.name() + " is private (" + (byTag ? "tagged " + PrivateNetworkRule.TAG_KEY
                + "=" + Excerpt.line(tag) : "PrivateTables names it") + ") and its resource"
                + " policy did not yet hold ddb-warden's statement " + NetworkStatement.SID + "."
                : call.isSweep() ? "The sweep found private table " + table.name() + " without"
                        + " ddb-warden's statement " + NetworkStatement.SID + (present.isPresent() ? " as ddb-warden wrote it" : "")
                        + ": requests from outside " + String.join(", ", ids) + " reach the table."
                : "The resource policy of private table " + table.name() + " no longer holds ddb-warden's statement "
                        + NetworkStatement.SID + (present.isPresent() ? " as ddb-warden wrote it" : "") + " after "
                        + Excerpt.line(call.eventName()) + " by " + call.actor().describe() + ": requests from outside "
                        + String.join(", ", ids) + " reached the table meanwhile."
                        + present.map(p -> " The statement found under its Sid, replaced:\n" + Excerpt.block(p.toString())).orElse("");
        return List.of(new Finding(PrivateNetworkRule.RULE, firstTime ? Severity.LOW : Severity.HIGH, table,
                firstTime ? "private network statement added" : "private network statement removed", why,
                new PrivateNetworkRemedy.Protect(ids, record, Optional.of(cut))));
    }

    /** The endpoints the ledger holds as the table's, recorded from a trusted principal's tag. */
    private static Optional<String> held(TableState state) {
        return state.augment(Hold.Held.class).flatMap(h -> h.of(Hold.Kind.NETWORK)).flatMap(Hold::value);
    }

    /** Whether {@code call} (a TagResource, or a CreateTable with its tags) set the tag to the value the table shows. */
    private static boolean setsTag(ApiCall call, String value) {
        if (!OPTING_IN.contains(call.eventName())) {
            return false;
        }
        for (JsonNode tag : call.requestParameters().path("tags")) {
            if (PrivateNetworkRule.TAG_KEY.equals(tag.path("key").asText()) && value.equals(tag.path("value").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the actor's tag does not count; empty when it does. An untrusted actor's reason does not depend on
     * NETWORK_TAGS, so that CloudTrail is asked only about actors whose tag would count.
     */
    private static String distrust(ApiCall call, Settings settings) {
        String who = call.actor().principalArn();
        if (!settings.approvedPrincipals().contains(who) && !settings.quarantineExemptPrincipals().contains(who)) {
            return "who set it is neither an approved principal (ApprovedPrincipals) nor a security role (QuarantineExemptPrincipals)";
        }
        return NetworkSettings.NETWORK_TAGS.in(settings) ? "" : "NETWORK_TAGS is off, or CloudTrail has not confirmed who set it";
    }

    private static Finding ignoredTag(ApiCall call, TableRef table, String tag, String why) {
        return new Finding(PrivateNetworkRule.RULE, Severity.MEDIUM, table, "private network tag ignored",
                "Table " + table.name() + " was tagged " + PrivateNetworkRule.TAG_KEY + "=" + Excerpt.line(tag) + " by "
                        + call.actor().describe() + ", but ddb-warden ignores the tag: " + why + ". The statement it asks"
                        + " for cuts the table off from everything outside those endpoints, so only a trusted principal's"
                        + " tag counts.",
                new Remedy.AlertOnly("If the table is meant to be private, have an approved principal or security role"
                        + " tag it again (aws dynamodb tag-resource --region " + table.region() + " --resource-arn "
                        + table.arn() + " --tags Key=" + PrivateNetworkRule.TAG_KEY + ",Value=vpce-...), or add it to"
                        + " PrivateTables. If not, remove the tag."));
    }
}
