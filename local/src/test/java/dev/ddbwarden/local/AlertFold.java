package dev.ddbwarden.local;

import java.util.Map;
import java.util.function.Function;

/**
 * The alerts a per-event oracle cannot judge event by event: a rule that alerts once per key, whichever of the key's
 * events draws the alert. iam-users alerts an IAM user's DynamoDB calls once per user and UTC day (docs/iam-users.md);
 * private-network alerts a private table's data calls from outside its endpoints once per table, source and UTC hour
 * (docs/private-network.md). Such an alert belongs to its key: exactly one is due per key a delivered event fell on.
 */
enum AlertFold {
    /** Every alert is its own event's. */
    NONE("", "each event", c -> ""),
    USER_DAY(CorpusAccess.IAM_USERS, "user and UTC day", CorpusAccess::userDay),
    SOURCE_HOUR(CorpusNetwork.PRIVATE_NETWORK, "table, source and UTC hour", CorpusNetwork::sourceHour);

    private final String rule;
    private final String per;
    private final Function<Corpus.Case, String> key;

    AlertFold(String rule, String per, Function<Corpus.Case, String> key) {
        this.rule = rule;
        this.per = per;
        this.key = key;
    }

    /** What one key stands for. */
    String per() {
        return per;
    }

    /** The rule whose alert folds. */
    String rule() {
        return rule;
    }

    /** The key a case's event is alerted under, the rule's name first, so that two folds' keys never meet. */
    String key(Corpus.Case c) {
        return rule + " " + key.apply(c);
    }

    /**
     * How the alerts of a run's keys came out.
     *
     * @param due     the keys a delivered event fell on: one alert each
     * @param missing those with no alert
     * @param extra   alerts beyond the first of a key: duplicates
     */
    record Judged(int due, int missing, int extra) {
    }

    /** Judges {@code alerts}: for each key a delivered event fell on, the alerts of the fold's rule its events drew. */
    static Judged judge(Map<String, Integer> alerts) {
        int missing = 0;
        int extra = 0;
        for (int n : alerts.values()) {
            missing += n == 0 ? 1 : 0;
            extra += Math.max(0, n - 1);
        }
        return new Judged(alerts.size(), missing, extra);
    }
}
