package dev.ddbwarden.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads which condition keys of a statement limit who can use it, as DynamoDB's block-public-access
 * defines it: a trusted key, under an operator that must match, with only literal values.
 */
final class Conditions {
    private static final Set<String> MATCHING = Set.of("StringEquals", "StringLike", "ArnEquals", "ArnLike");
    private static final String BOOL = "Bool";
    private static final String ANY_VALUE = "ForAnyValue:";
    private static final String IS_AWS_SERVICE = "aws:principalisawsservice";
    /** Keys that limit to something we cannot map to an account. */
    private static final Set<String> OPAQUE_KEYS = Set.of("aws:sourcevpc", "aws:sourcevpce", "aws:userid",
            "aws:principalservicename", "aws:principalservicenameslist", "aws:ec2instancesourcevpc");

    private Conditions() {
    }

    /**
     * Each limiting key of a statement; they all apply at once.
     *
     * @param condition the Condition element, null when the statement has none
     */
    static List<Limit> limits(JsonNode condition, Trust trust) {
        List<Limit> limits = new ArrayList<>();
        if (condition == null || !condition.isObject()) {
            return limits;
        }
        for (Iterator<Map.Entry<String, JsonNode>> ops = condition.fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                limit(op.getKey(), key.getKey(), PolicyNodes.strings(key.getValue()), trust).ifPresent(limits::add);
            }
        }
        return limits;
    }

    private static Optional<Limit> limit(String operator, String key, List<String> values, Trust trust) {
        Optional<String> base = matchingOperator(operator);
        if (base.isEmpty() || values.isEmpty() || values.stream().anyMatch(PolicyValues::isPattern)) {
            return Optional.empty();
        }
        String name = key.toLowerCase(Locale.ROOT);
        // aws:PrincipalIsAWSService limits only as Bool true, and Bool limits by no other key.
        boolean bool = base.get().equals(BOOL);
        if (bool || name.equals(IS_AWS_SERVICE)) {
            return bool && name.equals(IS_AWS_SERVICE) && values.stream().allMatch("true"::equalsIgnoreCase)
                    ? Optional.of(new Limit(key, Limit.Reach.OPAQUE, "AWS services")) : Optional.empty();
        }
        if (OPAQUE_KEYS.contains(name)) {
            return Optional.of(new Limit(key, Limit.Reach.OPAQUE, String.join(", ", values)));
        }
        return switch (name) {
            case "aws:principalaccount", "aws:sourceaccount" -> Optional.of(judge(values, v -> account(key, v, trust)));
            case "aws:principalarn", "aws:sourcearn" -> Optional.of(judge(values, v -> arn(key, v, trust)));
            case "aws:principalorgid", "aws:sourceorgid" -> Optional.of(judge(values, v -> org(key, v, trust)));
            case "aws:principalorgpaths", "aws:sourceorgpaths" ->
                    Optional.of(judge(values, v -> org(key, v.split("/", 2)[0], trust)));
            default -> Optional.empty();
        };
    }

    /**
     * The operator with any ForAnyValue: taken off, when it only holds if the key is present and
     * matches. ForAllValues: holds for a missing or empty key, ...IfExists for a missing one, and the
     * negated operators for everything else, so none of them limits.
     */
    private static Optional<String> matchingOperator(String operator) {
        String base = operator.startsWith(ANY_VALUE) ? operator.substring(ANY_VALUE.length()) : operator;
        return MATCHING.contains(base) || base.equals(BOOL) ? Optional.of(base) : Optional.empty();
    }

    /** A key admits the untrusted if one of its values does, else it is opaque if one value is. */
    private static Limit judge(List<String> values, Function<String, Limit> perValue) {
        List<Limit> each = values.stream().map(perValue).toList();
        return each.stream().filter(l -> l.reach() == Limit.Reach.ADMITS_UNTRUSTED).findFirst()
                .or(() -> each.stream().filter(l -> l.reach() == Limit.Reach.OPAQUE).findFirst())
                .orElse(each.get(0));
    }

    private static Limit account(String key, String account, Trust trust) {
        return new Limit(key, trust.trustsAccount(account) ? Limit.Reach.TRUSTED_ONLY : Limit.Reach.ADMITS_UNTRUSTED,
                "account " + account);
    }

    /** An ARN limits to its account; one without (an S3 bucket's) limits to something we cannot map. */
    private static Limit arn(String key, String arn, Trust trust) {
        return PolicyValues.arnAccount(arn).filter(a -> !a.isEmpty()).map(a -> account(key, a, trust))
                .orElse(new Limit(key, Limit.Reach.OPAQUE, arn));
    }

    private static Limit org(String key, String org, Trust trust) {
        return new Limit(key, trust.trustsOrg(org) ? Limit.Reach.TRUSTED_ONLY : Limit.Reach.ADMITS_UNTRUSTED,
                "organization " + org);
    }
}
