package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault scenarios' oracle for a table created in a forbidden region, which breaks two rules: the region guard's
 * alert is always due; the deletion-protection rule's alert and fix are due unless its run found the table already
 * quarantined (bench/faults, seed 613485, outage: that run was a retry after the frozen endpoint).
 */
class CorpusExpectationTest {
    private static final Corpus.Kind FORBIDDEN_REGION = kind("syd");
    private static final String QUARANTINED = "[{\"rule\":\"deletion-protection\",\"table\":\"arn\",\"severity\":\"\","
            + "\"action\":\"SKIPPED_QUARANTINED\",\"alert\":\"none\"}]";
    private static final String FIXED = "[{\"rule\":\"deletion-protection\",\"table\":\"arn\",\"severity\":\"MEDIUM\","
            + "\"action\":\"FIXED\",\"alert\":\"sent\"}]";
    private static final String FAILED = "[]";

    @Test
    void quarantineFoundFirst_answersTheMissingProtection() throws Exception {
        Corpus.Expectation expectation = Corpus.expectation(FORBIDDEN_REGION, Set.of("region-guard"), List.of(FAILED, QUARANTINED));

        assertThat(expectation).isEqualTo(new Corpus.Expectation(1, false));
    }

    @Test
    void deletionProtectionFirst_alertsAndFixesAsOnAnyTable() throws Exception {
        Corpus.Expectation expectation = Corpus.expectation(FORBIDDEN_REGION, Set.of("region-guard", "deletion-protection"),
                List.of(FIXED, QUARANTINED));

        assertThat(expectation).isEqualTo(new Corpus.Expectation(2, true));
    }

    @Test
    void anAlertThatWentOutBeforeTheRunFailed_stillCallsForTheFix() throws Exception {
        Corpus.Expectation expectation = Corpus.expectation(FORBIDDEN_REGION, Set.of("region-guard", "deletion-protection"),
                List.of(FAILED, QUARANTINED));

        assertThat(expectation).isEqualTo(new Corpus.Expectation(2, true));
    }

    @Test
    void noRunFoundTheQuarantine_bothAlertsAreDue() throws Exception {
        assertThat(Corpus.expectation(FORBIDDEN_REGION, Set.of("region-guard"), List.of(FAILED)))
                .isEqualTo(new Corpus.Expectation(2, true));
    }

    @Test
    void aQuarantineSkipOnATableThatMustEndProtected_answersNothing() throws Exception {
        assertThat(Corpus.expectation(kind("ctu"), Set.of(), List.of(QUARANTINED))).isEqualTo(new Corpus.Expectation(1, true));
    }

    private static Corpus.Kind kind(String slug) {
        return Corpus.KINDS.stream().filter(k -> k.slug().equals(slug)).findFirst().orElseThrow();
    }
}
