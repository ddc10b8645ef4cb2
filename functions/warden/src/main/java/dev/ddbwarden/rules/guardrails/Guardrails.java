package dev.ddbwarden.rules.guardrails;

import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.ResourceRef;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static dev.ddbwarden.rules.guardrails.OrganizationCalls.DELETE;
import static dev.ddbwarden.rules.guardrails.OrganizationCalls.DETACH;
import static dev.ddbwarden.rules.guardrails.OrganizationCalls.DISABLE_TYPE;
import static dev.ddbwarden.rules.guardrails.OrganizationCalls.UPDATE;

/**
 * The guardrails rule's decision, pure: a call of AWS Organizations and what DescribePolicy answered about its policy
 * (read before, by {@link PolicyLookup}, only where {@link #needsRead}: a DisablePolicyType and AWS's own policies need
 * none) in, the alert out.
 * A policy is one of ddb-warden's when the settings name its ID, its name starts with a guarded prefix, or its
 * content still holds a shipped statement. What no read can tell fails closed (HIGH, saying so), except a deletion
 * of a policy already gone: AWS Organizations deletes only a policy detached from every target, and each of those
 * detachments was decided when it was made.
 */
final class Guardrails {
    static final String RULE = "guardrails";
    private static final String ADMINS = " Changing an organization's policies back is for its administrators: ddb-warden"
            + " changes nothing.";

    private final GuardedPolicies guarded;
    private final ShippedPolicies shipped;

    Guardrails(GuardedPolicies guarded, ShippedPolicies shipped) {
        this.guarded = guarded;
        this.shipped = shipped;
    }

    /**
     * Whether deciding on {@code call} needs DescribePolicy: a call that names a policy, unless it is one of AWS's own
     * the settings do not name (it cannot be ddb-warden's). A DisablePolicyType names no policy.
     */
    static boolean needsRead(ApiCall call, GuardedPolicies guarded) {
        return !DISABLE_TYPE.equals(call.eventName()) && OrganizationCalls.policyId(call)
                .filter(id -> !OrganizationCalls.awsManaged(id) || guarded.byId(id)).isPresent();
    }

    /** @param read DescribePolicy's answer, present whenever {@link #needsRead} (nothing read, nothing decided) */
    Optional<ResourceFinding> decide(ApiCall call, Optional<PolicyRead> read) {
        if (DISABLE_TYPE.equals(call.eventName())) {
            return disabledType(call);
        }
        if (!needsRead(call, guarded) || read.isEmpty()) {
            return Optional.empty();
        }
        String policyId = OrganizationCalls.policyId(call).orElseThrow();
        PolicyRead policy = read.get();
        if (policy instanceof PolicyRead.Found found && !guarded.byId(policyId)
                && (!OrganizationCalls.GUARDRAIL_TYPES.contains(found.type()) || which(found).isEmpty())) {
            return erased(call, found) ? Optional.of(renamedAndRewritten(call, found)) : Optional.empty();
        }
        if (policy instanceof PolicyRead.Gone && DELETE.equals(call.eventName()) && !guarded.byId(policyId)) {
            return Optional.empty();
        }
        return switch (call.eventName()) {
            case DETACH -> OrganizationCalls.target(call).map(target -> detached(call, policyId, target, policy));
            case DELETE -> Optional.of(deleted(call, policyId, policy));
            case UPDATE -> OrganizationCalls.changesName(call) || OrganizationCalls.changesContent(call)
                    ? Optional.of(updated(call, policyId, policy)) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** Which shipped policy a policy is, when it is one: by its name, else by the statements it still holds. */
    private Optional<Shipped> which(PolicyRead.Found found) {
        Optional<ShippedPolicies.Policy> byName = shipped.byName(found.name(), guarded);
        if (byName.isPresent()) {
            return Optional.of(new Shipped(byName));
        }
        Optional<ShippedPolicies.Policy> byContent = shipped.byContent(found.content());
        if (byContent.isPresent() || guarded.byName(found.name()) || guarded.byId(found.id())) {
            return Optional.of(new Shipped(byContent));
        }
        return Optional.empty();
    }

    /** A guardrail, and the shipped file it is when ddb-warden can tell. */
    private record Shipped(Optional<ShippedPolicies.Policy> file) {
        String protection() {
            return file.map(p -> " It is ddb-warden's scp/" + p.file() + ".json, whose statements are: " + p.describe() + ".")
                    .orElse(" ddb-warden cannot tell which of its scp/ files it was made from: compare it with scp/.");
        }
    }

    private Optional<ResourceFinding> disabledType(ApiCall call) {
        String type = call.request("policyType");
        Optional<String> root = OrganizationCalls.root(call);
        if (!OrganizationCalls.GUARDRAIL_TYPES.contains(type) || root.isEmpty()) {
            return Optional.empty();
        }
        boolean scp = OrganizationCalls.SCP.equals(type);
        String kind = scp ? "Service control policies" : "Resource control policies";
        List<String> lost = shipped.all().values().stream().filter(p -> p.file().startsWith("rcp-") != scp)
                .map(p -> "scp/" + p.file() + ".json").sorted().toList();
        ResourceRef resource = new ResourceRef("AWS Organizations root", root.get(), "organizations root " + root.get()
                + " policy type " + type, call.region(), call.accountId());
        return Optional.of(new ResourceFinding(RULE, Severity.CRITICAL, resource, kind.toLowerCase(Locale.ROOT)
                + " switched off", kind + " were switched off for the whole organization (root " + root.get() + ") by "
                + call.actor().describe() + ". AWS Organizations detaches every policy of that type from every root, OU"
                + " and account when the type is disabled, so none of them applies any more, ddb-warden's among them ("
                + (lost.isEmpty() ? "whichever of its policies were attached" : String.join(", ", lost)) + "): nothing now refuses"
                + " what they refused; ddb-warden can only see it happen." + ADMINS,
                "Ask " + call.actor().describe() + " why; if nobody meant it, treat the principal as compromised. Switch the"
                + " type back on: aws organizations enable-policy-type --root-id " + root.get() + " --policy-type " + type
                + " --region " + call.region() + "; then attach each policy where it was, since enabling the type attaches"
                + " nothing: aws organizations attach-policy --policy-id POLICY_ID --target-id TARGET_ID (your"
                + " deployment records, or the DetachPolicy calls CloudTrail recorded before this one, say where)."));
    }

    private ResourceFinding detached(ApiCall call, String policyId, String target, PolicyRead policy) {
        ResourceRef resource = new ResourceRef("AWS Organizations policy", policyId + " at " + target,
                "organizations policy " + policyId + " at " + target, call.region(), call.accountId());
        String restore = "aws organizations attach-policy --policy-id " + policyId + " --target-id " + target
                + " --region " + call.region();
        String what = "Policy " + named(policyId, policy) + " was detached from " + OrganizationCalls.describeTarget(target)
                + " by " + call.actor().describe() + ".";
        if (policy instanceof PolicyRead.Found found) {
            Shipped guardrail = which(found).orElse(new Shipped(Optional.empty()));
            return new ResourceFinding(RULE, Severity.CRITICAL, resource, "guardrail detached", what
                    + guardrail.protection() + " None of them applies to " + target + " any more." + ADMINS,
                    ask(call) + " Attach it again: " + restore + ".");
        }
        return unknown(call, resource, what, policy, "If it was one of ddb-warden's policies, create it again from scp/"
                + " (scp/README.md, Render and attach) and attach it: aws organizations attach-policy --policy-id NEW_ID"
                + " --target-id " + target + ".");
    }

    private ResourceFinding deleted(ApiCall call, String policyId, PolicyRead policy) {
        ResourceRef resource = new ResourceRef("AWS Organizations policy", policyId, "organizations policy " + policyId,
                call.region(), call.accountId());
        String what = "Policy " + named(policyId, policy) + " was deleted by " + call.actor().describe() + ".";
        String recreate = " Create it again from scp/ (scp/README.md, Render and attach: scp/render, then aws"
                + " organizations create-policy --type SERVICE_CONTROL_POLICY --name ddb-warden-FILE --content"
                + " file://build/scp/FILE.json), attach it where it was, and give GuardrailPolicies its new ID.";
        if (policy instanceof PolicyRead.Unreadable) {
            return unknown(call, resource, what, policy, "If it was one of ddb-warden's policies:" + recreate);
        }
        Shipped guardrail = policy instanceof PolicyRead.Found found ? which(found).orElse(new Shipped(Optional.empty()))
                : new Shipped(Optional.empty());
        return new ResourceFinding(RULE, Severity.CRITICAL, resource, "guardrail deleted", what
                + (policy instanceof PolicyRead.Found ? guardrail.protection() : " GuardrailPolicies names it as one of"
                + " ddb-warden's policies.") + " AWS Organizations deletes only a policy detached from every target, so"
                + " it applied nowhere already (each detachment was alerted on its own); now it cannot be attached again"
                + " either." + ADMINS, ask(call) + recreate);
    }

    private ResourceFinding updated(ApiCall call, String policyId, PolicyRead policy) {
        ResourceRef resource = new ResourceRef("AWS Organizations policy", policyId, "organizations policy " + policyId,
                call.region(), call.accountId());
        String what = "Policy " + named(policyId, policy) + " was changed by " + call.actor().describe() + ".";
        if (!(policy instanceof PolicyRead.Found found)) {
            return unknown(call, resource, what, policy, "If it was one of ddb-warden's policies, put its content back"
                    + " from scp/ (scp/render, then aws organizations update-policy --policy-id " + policyId
                    + " --content file://build/scp/FILE.json).");
        }
        Shipped guardrail = which(found).orElse(new Shipped(Optional.empty()));
        StringBuilder change = new StringBuilder();
        if (OrganizationCalls.changesName(call)) {
            change.append(" Its name is now ").append(Excerpt.line(found.name()))
                    .append(guarded.byName(found.name()) ? "." : ", which GuardrailPolicies no longer recognises: give"
                            + " GuardrailPolicies its ID (" + policyId + ") so that later changes are told too.");
        }
        String restore = "";
        if (OrganizationCalls.changesContent(call)) {
            if (guardrail.file().isPresent()) {
                ShippedPolicies.Policy file = guardrail.file().get();
                List<String> weakened = ShippedPolicies.weakened(file, found.content());
                change.append(weakened.isEmpty() ? " Its content changed, but every statement of scp/" + file.file()
                        + ".json is still there with all its actions: its conditions or resources may now exempt more"
                        + " principals or cover fewer resources; compare it with scp/" + file.file() + ".json."
                        : " Its content no longer holds what scp/" + file.file() + ".json does: " + String.join("; ", weakened)
                        + ".");
                restore = " Put the shipped content back: scp/render your settings, then aws organizations update-policy"
                        + " --policy-id " + policyId + " --content file://build/scp/" + file.file() + ".json.";
            } else {
                change.append(" Its content changed, and holds no statement of any scp/ file any more: everything it"
                        + " denied as ddb-warden's guardrail may now be allowed.");
                restore = " Put the shipped content back: scp/render your settings, then aws organizations update-policy"
                        + " --policy-id " + policyId + " --content file://build/scp/FILE.json.";
            }
        }
        String rename = OrganizationCalls.changesName(call) ? " Name it back: aws organizations update-policy --policy-id "
                + policyId + " --name NAME." : "";
        return new ResourceFinding(RULE, Severity.CRITICAL, resource, "guardrail changed", what + change
                + guardrail.protection() + ADMINS, ask(call) + restore + rename);
    }

    /**
     * Whether one UpdatePolicy gave an SCP or RCP both a new name and new content, and neither says what it was: a
     * guardrail's name and statements, by which alone a policy the settings do not name by ID is told, can both go in
     * one call, and AWS Organizations keeps no earlier version to tell from. Settled only when GuardrailPolicies names
     * IDs and no prefix: then a policy outside them was not ddb-warden's.
     */
    private boolean erased(ApiCall call, PolicyRead.Found found) {
        return UPDATE.equals(call.eventName()) && OrganizationCalls.changesName(call) && OrganizationCalls.changesContent(call)
                && OrganizationCalls.GUARDRAIL_TYPES.contains(found.type()) && !guarded.prefixes().isEmpty();
    }

    private ResourceFinding renamedAndRewritten(ApiCall call, PolicyRead.Found found) {
        ResourceRef resource = new ResourceRef("AWS Organizations policy", found.id(), "organizations policy " + found.id(),
                call.region(), call.accountId());
        return new ResourceFinding(RULE, Severity.HIGH, resource, "policy renamed and rewritten", "Policy "
                + named(found.id(), found) + " was renamed and its whole content replaced in one call by "
                + call.actor().describe() + ". Its new name matches no GuardrailPolicies prefix and its new content holds no"
                + " statement of scp/, so nothing left in it says whether it was one of ddb-warden's guardrails: AWS"
                + " Organizations keeps no earlier version, and the record carries only the new name and content. If it was"
                + " one, what it denied is allowed now wherever it is attached. ddb-warden alerts in case it was; name"
                + " ddb-warden's policies by ID in GuardrailPolicies to have such changes told for certain." + ADMINS,
                ask(call) + " See what it was before: CloudTrail's earlier CreatePolicy and UpdatePolicy records of " + found.id()
                        + " (aws cloudtrail lookup-events --region " + call.region() + " --lookup-attributes"
                        + " AttributeKey=EventSource,AttributeValue=organizations.amazonaws.com). If it was one of ddb-warden's,"
                        + " put it back: scp/render your settings, then aws organizations update-policy --policy-id " + found.id()
                        + " --name ddb-warden-FILE --content file://build/scp/FILE.json.");
    }

    /** A policy DescribePolicy did not describe: ddb-warden cannot tell whether it was one of its own, and says so. */
    private static ResourceFinding unknown(ApiCall call, ResourceRef resource, String what, PolicyRead policy,
                                           String advice) {
        String why = policy instanceof PolicyRead.Gone gone ? "it is already deleted (" + gone.reason() + ")"
                : "AWS Organizations did not describe it (" + ((PolicyRead.Unreadable) policy).reason() + ")";
        return new ResourceFinding(RULE, Severity.HIGH, resource, "policy change ddb-warden cannot judge", what
                + " ddb-warden could not read which policy it was, because " + Excerpt.line(why) + ", so it cannot tell"
                + " whether it was one of its guardrails: it alerts in case it was. Name ddb-warden's policies by ID in"
                + " GuardrailPolicies to have such changes told for certain." + ADMINS, ask(call) + " " + advice);
    }

    private static String named(String policyId, PolicyRead policy) {
        return policy instanceof PolicyRead.Found found ? Excerpt.line(found.name()) + " (" + policyId + ")" : policyId;
    }

    private static String ask(ApiCall call) {
        return "Ask " + call.actor().describe() + " why; if nobody meant it, treat the principal as compromised.";
    }
}
