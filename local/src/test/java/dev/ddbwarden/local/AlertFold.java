package dev.ddbwarden.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The alerts a per-event oracle cannot judge event by event: a rule that alerts once per key, whichever of the key's
 * events draws the alert. iam-users alerts an IAM user's DynamoDB calls once per user and UTC day (docs/iam-users.md);
 * private-network alerts a private table's data calls from outside its endpoints once per table, source and UTC hour
 * (docs/private-network.md), for each private table a batch, transaction or PartiQL call names. Such an alert belongs to
 * its key: exactly one is due per key a delivered event fell on, and one event may fall on several keys.
 */
enum AlertFold {
    /** Every alert is its own event's. */
    NONE("", "each event", c -> Map.of()),
    USER_DAY(CorpusAccess.IAM_USERS, "user and UTC day", c -> Map.of(CorpusAccess.userDay(c), c.table())),
    SOURCE_HOUR(CorpusNetwork.PRIVATE_NETWORK, "table, source and UTC hour", CorpusNetwork::sourceHours);

    private final String rule;
    private final String per;
    /** A case's keys, each with the table the alert due under it is about. */
    private final Function<Corpus.Case, Map<String, String>> keys;

    AlertFold(String rule, String per, Function<Corpus.Case, Map<String, String>> keys) {
        this.rule = rule;
        this.per = per;
        this.keys = keys;
    }

    /** What one key stands for. */
    String per() {
        return per;
    }

    /** The rule whose alert folds. */
    String rule() {
        return rule;
    }

    /**
     * The keys a case's event is alerted under, the rule's name first so that two folds' keys never meet, each with the
     * table its alert is about: one for an IAM user's call; one per private table a data event names, none for a
     * data event that names none.
     */
    Map<String, String> keys(Corpus.Case c) {
        Map<String, String> named = new LinkedHashMap<>();
        keys.apply(c).forEach((key, table) -> named.put(rule + " " + key, table));
        return named;
    }

    /**
     * Counts into {@code folds}, for each of the case's keys, whether the case drew the fold's alert about that key's
     * table ({@link Corpus#alertedRules} on the run's {@code alertKeys}): a transaction on two private tables counts
     * its alert on each under that table's key, where the single-item calls on that table count theirs.
     */
    void count(Corpus.Case c, Set<String> alertKeys, Map<String, Integer> folds) {
        keys(c).forEach((key, table) -> folds.merge(key,
                Corpus.alertedRules(c.about(table), alertKeys).contains(rule) ? 1 : 0, Integer::sum));
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
