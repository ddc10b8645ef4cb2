package dev.ddbwarden.rules.encryption;

import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.LastSeen;

import java.util.Optional;
import java.util.Set;

/** The encryption rule's judgements of a key, pure: the live key against the settings, and the remembered one. */
final class Verdict {
    static final String STAKES = "Whoever controls a table's key controls whether its data can be read: with an AWS "
            + "owned or AWS managed key the account can no longer revoke, audit per key or rotate on its own terms, "
            + "and a key of another account lets that account make the table unreadable.";

    private Verdict() {
    }

    /** Why the live key is one the table may not have (another account's, outside ALLOWED_KMS_KEYS), if it is. */
    static Optional<String> wrongKey(Sse live, TableRef table, Set<String> allowed) {
        String key = live.keyArn().orElse("");
        if (live.kind() == Sse.Kind.OTHER_ACCOUNT) {
            return Optional.of("Table " + table.name() + " is encrypted with key " + key + " of account "
                    + Sse.accountOf(key).orElse("(unknown)") + ", not this account " + table.accountId() + ".");
        }
        if (live.kind() == Sse.Kind.CUSTOMER && !allowed.isEmpty() && !allowed.contains(key)) {
            return Optional.of("Table " + table.name() + " is encrypted with customer managed key " + key
                    + ", which is not in ALLOWED_KMS_KEYS.");
        }
        return Optional.empty();
    }

    /**
     * Whether the table left a customer managed key: the ledger saw it under one (another key now), or an UpdateTable
     * changed its key and ddb-warden never saw the table before (fails closed: it may have been a customer managed key).
     */
    static boolean movedOffCmk(ApiCall call, Sse live, Optional<LastSeen> seen) {
        Optional<String> kind = seen.flatMap(s -> s.fact(EncryptionRule.KIND_FACT));
        if (kind.isEmpty()) {
            return EncryptionRule.UPDATE_TABLE.equals(call.eventName());
        }
        return Sse.Kind.CUSTOMER.name().equals(kind.get())
                && !seen.flatMap(s -> s.fact(EncryptionRule.KEY_FACT)).equals(live.keyArn());
    }

    /** The remembered customer managed key, if it is one the settings allow today and not the live key already. */
    static Optional<String> keyToRestore(LastSeen seen, Sse live, TableRef table, Set<String> allowed) {
        if (!seen.fact(EncryptionRule.KIND_FACT).equals(Optional.of(Sse.Kind.CUSTOMER.name()))) {
            return Optional.empty();
        }
        return seen.fact(EncryptionRule.KEY_FACT)
                .filter(key -> Sse.accountOf(key).equals(Optional.of(table.accountId())))
                .filter(key -> Sse.regionOf(key).equals(Optional.of(table.region())))
                .filter(key -> allowed.isEmpty() || allowed.contains(key))
                .filter(key -> !live.keyArn().equals(Optional.of(key)));
    }

    static String describe(Sse live) {
        return switch (live.kind()) {
            case AWS_OWNED -> "an AWS owned key (DynamoDB's default, in DynamoDB's account)";
            case AWS_MANAGED -> "the AWS managed key aws/dynamodb " + live.keyArn().orElse("");
            case CUSTOMER -> "customer managed key " + live.keyArn().orElse("");
            case OTHER_ACCOUNT -> "key " + live.keyArn().orElse("") + " of another account";
            case UNREADABLE -> "key " + live.keyArn().orElse("") + ", which KMS would not describe to ddb-warden ("
                    + live.keyState().orElse("refused") + "), so it is not known to be customer managed";
        };
    }
}
