package dev.ddbwarden.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * The verdict on one statement: whom its principal reaches, narrowed by its limiting conditions.
 * The conditions of a statement all apply, so one key that admits only the trusted settles it.
 */
final class StatementRules {

    private StatementRules() {
    }

    static StatementVerdict judge(int index, String text, JsonNode statement, Trust trust) {
        Verdict verdict = judge(statement, trust);
        return new StatementVerdict(index, text, verdict.exposure(), verdict.reason());
    }

    private record Verdict(Exposure exposure, String reason) {
        static Verdict none(String reason) {
            return new Verdict(Exposure.NONE, reason);
        }
    }

    private static Verdict judge(JsonNode statement, Trust trust) {
        String effect = Optional.ofNullable(PolicyNodes.field(statement, "Effect")).map(JsonNode::asText).orElse("");
        if (effect.equalsIgnoreCase("Deny")) {
            return Verdict.none("Deny statements are never findings and never removed");
        }
        if (!effect.equalsIgnoreCase("Allow")) {
            return Verdict.none("not an Allow");
        }
        JsonNode principal = PolicyNodes.field(statement, "Principal");
        // Whatever NotPrincipal names, everyone else is let in, so it wins over any Principal beside it.
        Principals.Grantees grantees = PolicyNodes.field(statement, "NotPrincipal") != null ? Principals.allBut()
                : principal != null ? Principals.read(principal) : null;
        if (grantees == null) {
            return Verdict.none("no principal");
        }
        List<String> untrusted = grantees.accounts().stream().filter(a -> !trust.trustsAccount(a)).toList();
        if (grantees.everyone().isEmpty() && untrusted.isEmpty()) {
            return Verdict.none(grantees.accounts().isEmpty() ? unnamed(grantees) : "grants only trusted accounts");
        }
        List<Limit> limits = Conditions.limits(PolicyNodes.field(statement, "Condition"), trust);
        Optional<Limit> trusted = first(limits, Limit.Reach.TRUSTED_ONLY);
        if (trusted.isPresent()) {
            return Verdict.none("limited to trusted callers by " + trusted.get().key());
        }
        Optional<Limit> admits = first(limits, Limit.Reach.ADMITS_UNTRUSTED);
        if (admits.isPresent()) {
            return new Verdict(Exposure.CROSS_ACCOUNT,
                    "limited to " + admits.get().subject() + ", which is not trusted");
        }
        Optional<Limit> opaque = first(limits, Limit.Reach.OPAQUE);
        if (grantees.everyone().isPresent() && opaque.isEmpty()) {
            return new Verdict(Exposure.PUBLIC, grantees.everyone().get() + " with no limiting condition");
        }
        if (!untrusted.isEmpty()) {
            return new Verdict(Exposure.CROSS_ACCOUNT, untrusted.size() == 1
                    ? "grants account " + untrusted.get(0) + ", which is not trusted"
                    : "grants accounts " + String.join(", ", untrusted) + ", which are not trusted");
        }
        return Verdict.none(grantees.everyone().get() + " limited by " + opaque.get().key()
                + ", which DynamoDB counts as private");
    }

    /** A principal naming no account: AWS services, or types DynamoDB refuses. */
    private static String unnamed(Principals.Grantees grantees) {
        return grantees.unsupported().isEmpty() ? "grants no AWS account"
                : "DynamoDB does not accept " + String.join(", ", grantees.unsupported()) + " principals";
    }

    private static Optional<Limit> first(List<Limit> limits, Limit.Reach reach) {
        return limits.stream().filter(l -> l.reach() == reach).findFirst();
    }
}
