package dev.ddbwarden.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** Reads whom a statement's Principal names. */
final class Principals {

    /**
     * @param everyone    why anyone at all can use the statement (e.g. {@code Principal "*"}), if they can
     * @param accounts    the accounts the principal names
     * @param unsupported principal types DynamoDB refuses (Federated, CanonicalUser, ...), as written
     */
    record Grantees(Optional<String> everyone, Set<String> accounts, List<String> unsupported) {
    }

    private Principals() {
    }

    /** NotPrincipal lets in everyone but the principals it names, whatever those are. */
    static Grantees allBut() {
        return new Grantees(Optional.of("NotPrincipal (everyone but the principals it names)"), Set.of(), List.of());
    }

    static Grantees read(JsonNode principal) {
        Builder grantees = new Builder();
        if (!principal.isObject()) {
            // Only "*" is valid here; anything else is read as AWS principals rather than ignored.
            PolicyNodes.strings(principal).forEach(grantees::aws);
            return grantees.build();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = principal.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            List<String> values = PolicyNodes.strings(entry.getValue());
            if (entry.getKey().equalsIgnoreCase("AWS")) {
                values.forEach(grantees::aws);
            } else if (entry.getKey().equalsIgnoreCase("Service")) {
                values.forEach(grantees::service);
            } else {
                grantees.unsupported.add(entry.getKey());
            }
        }
        return grantees.build();
    }

    private static final class Builder {
        private Optional<String> everyone = Optional.empty();
        private final SortedSet<String> accounts = new TreeSet<>();
        private final List<String> unsupported = new ArrayList<>();

        void aws(String value) {
            // An account id, or the account field of an ARN; other values (the unique ids IAM shows
            // once a named role or user is deleted) name no principal that can still call.
            String account = PolicyValues.isArn(value) ? PolicyValues.arnAccount(value).orElse("") : value;
            if (PolicyValues.isPattern(account)) {
                everyone("Principal \"" + value + "\"");
            } else if (PolicyValues.isAccountId(account) || PolicyValues.isArn(value) && !account.isEmpty()) {
                accounts.add(account);
            }
        }

        void service(String value) {
            if (PolicyValues.isPattern(value)) {
                everyone("Service principal \"" + value + "\"");
            }
        }

        private void everyone(String cause) {
            if (everyone.isEmpty()) {
                everyone = Optional.of(cause);
            }
        }

        Grantees build() {
            return new Grantees(everyone, Collections.unmodifiableSortedSet(accounts), List.copyOf(unsupported));
        }
    }
}
