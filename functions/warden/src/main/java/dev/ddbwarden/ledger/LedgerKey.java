package dev.ddbwarden.ledger;

/** One decision: a CloudTrail event, and the rule and table it was about. */
public record LedgerKey(String eventId, String subject) {

    public static LedgerKey of(String eventId, String rule, String tableArn) {
        return new LedgerKey(eventId, rule + "#" + tableArn);
    }
}
