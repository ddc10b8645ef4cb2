package dev.ddbwarden.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    private static Settings from(Map<String, String> env) {
        return Settings.from(env::get);
    }

    @Test
    void from_shouldUseDefaults_whenEnvironmentIsEmpty() {
        // GIVEN no variable set
        Map<String, String> env = Map.of();

        // WHEN
        Settings settings = from(env);

        // THEN
        assertThat(settings.mode()).isEqualTo(RemediationMode.REMEDIATE);
        assertThat(settings.modeOf("deletion-protection").remediates()).isTrue();
        assertThat(settings.hasLedger()).isFalse();
        assertThat(settings.ledgerTable()).isEmpty();
        assertThat(settings.hasAlertTopic()).isFalse();
        assertThat(settings.hasRecheckQueue()).isFalse();
        assertThat(settings.maxRechecks()).isEqualTo(12);
        assertThat(settings.recheckDelaySeconds()).isEqualTo(900);
        assertThat(settings.approvedPrincipals()).isEmpty();
        assertThat(settings.allowedRegions()).isEmpty();
        assertThat(settings.trustedAccounts()).isEmpty();
        assertThat(settings.isExempt("orders")).isFalse();
        assertThat(settings.verifyActors()).isTrue();
        assertThat(settings.decommissionWindow()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void from_shouldTrustEventsAndShortenTheWindow_whenTold() {
        Settings settings = from(Map.of(EnvVar.VERIFY_ACTORS, "FALSE", EnvVar.DECOMMISSION_WINDOW_HOURS, "6"));

        assertThat(settings.verifyActors()).isFalse();
        assertThat(settings.decommissionWindow()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void withoutApprovals_shouldEmptyOnlyTheApprovedPrincipals_whenCopying() {
        Settings approving = from(Map.of(EnvVar.LEDGER_TABLE, "ledger", EnvVar.VERIFY_ACTORS, "false",
                EnvVar.APPROVED_PRINCIPALS, "arn:aws:iam::123456789012:role/PlatformAdmin"));

        Settings unapproved = approving.withoutApprovals();

        assertThat(unapproved.approvedPrincipals()).isEmpty();
        assertThat(unapproved).usingRecursiveComparison().ignoringFields("approvedPrincipals").isEqualTo(approving);
    }

    @Test
    void from_shouldReadEveryVariable_whenAllAreValid() {
        // GIVEN
        Map<String, String> env = Map.of(
                EnvVar.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:ddb-warden-alerts",
                EnvVar.LEDGER_TABLE, "ddb-warden-ledger",
                EnvVar.REMEDIATION_MODE, "notify",
                EnvVar.RECHECK_QUEUE_URL, "https://sqs.eu-west-1.amazonaws.com/123456789012/recheck",
                EnvVar.MAX_RECHECKS, "0",
                EnvVar.RECHECK_DELAY_SECONDS, "0");

        // WHEN
        Settings settings = from(env);

        // THEN
        assertThat(settings.alertTopicArn()).isEqualTo("arn:aws:sns:eu-west-1:123456789012:ddb-warden-alerts");
        assertThat(settings.hasLedger()).isTrue();
        assertThat(settings.ledgerTable()).isEqualTo("ddb-warden-ledger");
        assertThat(settings.modeOf("deletion-protection").remediates()).isFalse();
        assertThat(settings.recheckQueueUrl()).isEqualTo("https://sqs.eu-west-1.amazonaws.com/123456789012/recheck");
        assertThat(settings.maxRechecks()).isZero();
        assertThat(settings.recheckDelaySeconds()).isZero();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "REMEDIATION_MODE      | fix",
            "APPROVED_PRINCIPALS   | arn:aws:iam::123456789012:role/Ok,arn:aws:iam::12345:role/Admin",
            "APPROVED_PRINCIPALS   | arn:aws:iam::123456789012:user/alice",
            "TRUSTED_ACCOUNTS      | 111111111111,12345678901",
            "ALLOWED_REGIONS       | Europe",
            "MAX_RECHECKS          | twelve",
            "MAX_RECHECKS          | 101",
            "RECHECK_DELAY_SECONDS | 901",
            "RECHECK_DELAY_SECONDS | -1",
            "ALERT_TOPIC_ARN       | arn:aws:sqs:us-east-1:123456789012:alerts",
            "LEDGER_TABLE          | ab",
            "EXEMPT_TABLES         | scratch tables",
            "VERIFY_ACTORS         | no",
            "VERIFY_ACTORS         | 0",
            "DECOMMISSION_WINDOW_HOURS | 0",
            "DECOMMISSION_WINDOW_HOURS | 169"})
    void from_shouldThrowNamingTheVariable_whenValueIsInvalid(String variable, String value) {
        // GIVEN
        Map<String, String> env = Map.of(variable, value);

        // WHEN / THEN
        assertThatThrownBy(() -> from(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable + ": ");
    }

    @Test
    void from_shouldQuoteTheBadItem_whenOneListItemIsInvalid() {
        // GIVEN one good and one 11-digit account
        Map<String, String> env = Map.of(EnvVar.TRUSTED_ACCOUNTS, "111111111111, 12345678901");

        // WHEN / THEN
        assertThatThrownBy(() -> from(env))
                .isInstanceOf(ConfigException.class)
                .hasMessage("TRUSTED_ACCOUNTS: '12345678901' is not a 12-digit account ID");
    }

    @Test
    void from_shouldTrimItemsAndDropBlanks_whenListsHaveSpacesAndEmptyEntries() {
        // GIVEN
        Map<String, String> env = new HashMap<>();
        env.put(EnvVar.APPROVED_PRINCIPALS,
                " arn:aws:iam::123456789012:role/PlatformAdmin , ,arn:aws:iam::123456789012:role/ops/Decom ,");
        env.put(EnvVar.ALLOWED_REGIONS, " eu-west-1,, us-gov-west-1 ");
        env.put(EnvVar.TRUSTED_ACCOUNTS, "111111111111, ,222222222222");
        env.put(EnvVar.EXEMPT_TABLES, " scratch-* , ,tmp?");
        env.put(EnvVar.REMEDIATION_MODE, " Notify ");
        env.put(EnvVar.MAX_RECHECKS, " 3 ");

        // WHEN
        Settings settings = from(env);

        // THEN
        assertThat(settings.approvedPrincipals()).containsExactlyInAnyOrder(
                "arn:aws:iam::123456789012:role/PlatformAdmin", "arn:aws:iam::123456789012:role/ops/Decom");
        assertThat(settings.allowedRegions()).containsExactly("eu-west-1", "us-gov-west-1");
        assertThat(settings.trustedAccounts()).containsExactlyInAnyOrder("111111111111", "222222222222");
        assertThat(settings.exemptTables().globs()).containsExactly("scratch-*", "tmp?");
        assertThat(settings.mode()).isEqualTo(RemediationMode.NOTIFY);
        assertThat(settings.maxRechecks()).isEqualTo(3);
    }

    @Test
    void from_shouldTreatBlankValuesAsUnset_whenVariablesAreWhitespace() {
        // GIVEN
        Map<String, String> env = Map.of(EnvVar.ALERT_TOPIC_ARN, "  ", EnvVar.LEDGER_TABLE, " ",
                EnvVar.MAX_RECHECKS, " ", EnvVar.REMEDIATION_MODE, "");

        // WHEN
        Settings settings = from(env);

        // THEN
        assertThat(settings.hasAlertTopic()).isFalse();
        assertThat(settings.hasLedger()).isFalse();
        assertThat(settings.maxRechecks()).isEqualTo(12);
        assertThat(settings.mode()).isEqualTo(RemediationMode.REMEDIATE);
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
            "scratch-*, scratch-1,      true",
            "scratch-*, scratch-,       true",
            "scratch-*, prod-scratch-1, false",
            "tmp?,      tmp1,           true",
            "tmp?,      tmp12,          false",
            "tmp?,      tmp,            false",
            "a.b,       a.b,            true",
            "a.b,       axb,            false",
            "orders,    orders,         true",
            "orders,    Orders,         false",
            "orders,    orders-v2,      false"})
    void isExempt_shouldMatchWholeNameAsGlob_whenExemptTablesIsSet(String glob, String table, boolean exempt) {
        // GIVEN
        Settings settings = from(Map.of(EnvVar.EXEMPT_TABLES, glob));

        // WHEN
        boolean matched = settings.isExempt(table);

        // THEN
        assertThat(matched).as("%s matches %s", glob, table).isEqualTo(exempt);
    }

    @Test
    void withMode_shouldChangeOnlyTheMode_whenCopying() {
        // GIVEN
        Settings remediate = from(Map.of(EnvVar.LEDGER_TABLE, "ledger", EnvVar.EXEMPT_TABLES, "tmp*",
                EnvVar.APPROVED_PRINCIPALS, "arn:aws:iam::123456789012:role/PlatformAdmin", EnvVar.MAX_RECHECKS, "4"));

        // WHEN
        Settings notify = remediate.withMode(RemediationMode.NOTIFY);

        // THEN
        assertThat(notify.mode()).isEqualTo(RemediationMode.NOTIFY);
        assertThat(remediate.mode()).isEqualTo(RemediationMode.REMEDIATE);
        assertThat(notify).usingRecursiveComparison().ignoringFields("mode").isEqualTo(remediate);
        assertThat(notify.isExempt("tmp-1")).isTrue();
    }
}
