package dev.ddbwarden.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything ddb-warden is told by its environment, read and validated once per container so that a
 * typo stops the function at start instead of acting on a half-understood setting.
 */
public record Settings(
        String alertTopicArn,
        String ledgerTable,
        RemediationMode mode,
        RuleModes ruleModes,
        TableGlobs exemptTables,
        Set<String> approvedPrincipals,
        List<String> allowedRegions,
        Set<String> trustedAccounts,
        Set<String> trustedOrgIds,
        List<String> quarantineExemptPrincipals,
        String recheckQueueUrl,
        int maxRechecks,
        int recheckDelaySeconds,
        int fixLimitPerHour,
        String stackName,
        String deploymentRoleArn,
        String alertKeyArn,
        boolean verifyActors,
        Duration decommissionWindow,
        Map<String, String> ruleSettings,
        String memberRoleName) {

    /** Settings no rule declares that are carried as set all the same, for the alert channels to read and check. */
    private static final Set<String> CARRIED = Set.of(EnvVar.SECURITY_HUB_FINDINGS, EnvVar.CHAT_NOTIFICATIONS);
    private static final Pattern ROLE_ARN =
            Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]+");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ORG_ID = Pattern.compile("o-[a-z0-9]{10,32}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-\\d");
    private static final Pattern TABLE_GLOB = Pattern.compile("[a-zA-Z0-9_.*?-]{1,255}");
    private static final Pattern SNS_ARN = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[\\w-]{1,256}");
    private static final Pattern KMS_KEY_ARN =
            Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[\\w-]{1,128}");
    /** IAM's rule for a role name: the member role is named without its path, which is always /ddb-warden/. */
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern LEDGER_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    /** CloudFormation's rule for stack names. */
    private static final Pattern STACK_NAME = Pattern.compile("[a-zA-Z][-a-zA-Z0-9]{0,127}");
    private static final int DEFAULT_MAX_RECHECKS = 12;
    private static final int DEFAULT_RECHECK_DELAY_SECONDS = 900;
    private static final int DEFAULT_FIX_LIMIT_PER_HOUR = 5;
    static final int DEFAULT_DECOMMISSION_HOURS = 24;
    /** A week: a decommission longer than that is an exemption, which ExemptTables makes visibly. */
    private static final int MAX_DECOMMISSION_HOURS = 168;

    public Settings {
        approvedPrincipals = Set.copyOf(approvedPrincipals);
        allowedRegions = List.copyOf(allowedRegions);
        trustedAccounts = Set.copyOf(trustedAccounts);
        trustedOrgIds = Set.copyOf(trustedOrgIds);
        quarantineExemptPrincipals = List.copyOf(quarantineExemptPrincipals);
        ruleSettings = Map.copyOf(ruleSettings);
    }

    /** Reads the process environment. */
    public static Settings fromEnvironment() {
        return from(System::getenv);
    }

    /** Reads settings through {@code env}, which returns null for an unset variable; no rule declares a setting. */
    public static Settings from(Function<String, String> env) {
        return from(env, Set.of());
    }

    /**
     * Reads settings through {@code env}, which returns null for an unset variable.
     *
     * @param ruleSettings the names of the settings the rules declare (each rule parses and validates its own), whose
     *                     values are carried as they are set
     */
    public static Settings from(Function<String, String> env, Collection<String> ruleSettings) {
        Map<String, String> carried = new TreeMap<>();
        for (String name : Stream.concat(ruleSettings.stream(), CARRIED.stream()).toList()) {
            String value = env.apply(name);
            if (value != null && !value.isBlank()) {
                carried.put(name, value.trim());
            }
        }
        return new Settings(
                optional(env, EnvVar.ALERT_TOPIC_ARN, SNS_ARN, "an SNS topic ARN"),
                optional(env, EnvVar.LEDGER_TABLE, LEDGER_NAME, "a DynamoDB table name"),
                RemediationMode.parse(env.apply(EnvVar.REMEDIATION_MODE)),
                RuleModes.parse(env.apply(EnvVar.RULE_MODES)),
                new TableGlobs(list(env, EnvVar.EXEMPT_TABLES, TABLE_GLOB, "a table name or glob")),
                Set.copyOf(list(env, EnvVar.APPROVED_PRINCIPALS, ROLE_ARN, "an IAM role ARN")),
                list(env, EnvVar.ALLOWED_REGIONS, REGION, "a region name such as eu-west-1"),
                Set.copyOf(list(env, EnvVar.TRUSTED_ACCOUNTS, ACCOUNT, "a 12-digit account ID")),
                Set.copyOf(list(env, EnvVar.TRUSTED_ORG_IDS, ORG_ID, "an organization ID such as o-a1b2c3d4e5")),
                list(env, EnvVar.QUARANTINE_EXEMPT_PRINCIPALS, ROLE_ARN, "an IAM role ARN"),
                blankToEmpty(env.apply(EnvVar.RECHECK_QUEUE_URL)),
                integer(env, EnvVar.MAX_RECHECKS, DEFAULT_MAX_RECHECKS, 0, 100),
                integer(env, EnvVar.RECHECK_DELAY_SECONDS, DEFAULT_RECHECK_DELAY_SECONDS, 0, 900),
                integer(env, EnvVar.FIX_LIMIT_PER_HOUR, DEFAULT_FIX_LIMIT_PER_HOUR, 1, 100),
                optional(env, EnvVar.STACK_NAME, STACK_NAME, "a CloudFormation stack name"),
                optional(env, EnvVar.DEPLOYMENT_ROLE_ARN, ROLE_ARN, "an IAM role ARN"),
                optional(env, EnvVar.ALERT_KEY_ARN, KMS_KEY_ARN, "a KMS key ARN"),
                bool(env, EnvVar.VERIFY_ACTORS, true),
                Duration.ofHours(integer(env, EnvVar.DECOMMISSION_WINDOW_HOURS, DEFAULT_DECOMMISSION_HOURS, 1,
                        MAX_DECOMMISSION_HOURS)),
                carried,
                optional(env, EnvVar.MEMBER_ROLE_NAME, ROLE_NAME, "an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-, no path)"));
    }

    /**
     * A switch carried as set ({@code true} or {@code false}, unset meaning {@code false}): the alert channels' opt-ins.
     *
     * @throws ConfigException for any other value
     */
    public boolean optIn(String name) {
        String value = ruleSettings.getOrDefault(name, "false").trim();
        if (!value.matches("(?i)true|false")) {
            throw new ConfigException(name, "'" + value + "' is not true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** The value of a setting a rule declares, as set; empty when unset (the rule's default applies). */
    public Optional<String> ruleSetting(String name) {
        return Optional.ofNullable(ruleSettings.get(name));
    }

    /**
     * The mode {@code rule} runs in: its own RULE_MODES entry, else REMEDIATION_MODE's. REMEDIATION_MODE=notify
     * caps every rule at notify (a rule that is off stays off), so a first deployment can notify everything.
     */
    public RuleModes.Applied modeOf(String rule) {
        RuleMode own = ruleModes.of(rule).orElse(RuleMode.REMEDIATE);
        if (own != RuleMode.REMEDIATE) {
            return new RuleModes.Applied(rule, own, EnvVar.RULE_MODES);
        }
        return mode == RemediationMode.NOTIFY
                ? new RuleModes.Applied(rule, RuleMode.NOTIFY, EnvVar.REMEDIATION_MODE)
                : new RuleModes.Applied(rule, RuleMode.REMEDIATE, ruleModes.of(rule).isPresent() ? EnvVar.RULE_MODES
                        : EnvVar.REMEDIATION_MODE);
    }

    public boolean hasLedger() {
        return !ledgerTable.isEmpty();
    }

    public boolean hasAlertTopic() {
        return !alertTopicArn.isEmpty();
    }

    public boolean hasRecheckQueue() {
        return !recheckQueueUrl.isEmpty();
    }

    public boolean isExempt(String tableName) {
        return exemptTables.matches(tableName);
    }

    /** A copy in another mode: the sweep and the demo run the same settings as report-only. */
    public Settings withMode(RemediationMode other) {
        return new Settings(alertTopicArn, ledgerTable, other, ruleModes, exemptTables, approvedPrincipals,
                allowedRegions, trustedAccounts, trustedOrgIds, quarantineExemptPrincipals, recheckQueueUrl, maxRechecks, recheckDelaySeconds,
                fixLimitPerHour, stackName, deploymentRoleArn, alertKeyArn, verifyActors, decommissionWindow, ruleSettings,
                memberRoleName);
    }

    /** A copy in which nobody is approved: what a decision on an actor CloudTrail did not confirm sees. */
    public Settings withoutApprovals() {
        return new Settings(alertTopicArn, ledgerTable, mode, ruleModes, exemptTables, Set.of(),
                allowedRegions, trustedAccounts, trustedOrgIds, quarantineExemptPrincipals, recheckQueueUrl, maxRechecks, recheckDelaySeconds,
                fixLimitPerHour, stackName, deploymentRoleArn, alertKeyArn, verifyActors, decommissionWindow, ruleSettings,
                memberRoleName);
    }

    /**
     * A copy in which no actor is trusted, neither ApprovedPrincipals nor the security roles
     * (QuarantineExemptPrincipals): what a rule that relaxes on who acted ({@code Rule.decidesOnActor}) sees of an
     * actor CloudTrail did not confirm. The security roles stay in {@link #withoutApprovals()}, which the quarantine
     * statement spares whoever acted.
     */
    public Settings withoutTrustedActors() {
        return new Settings(alertTopicArn, ledgerTable, mode, ruleModes, exemptTables, Set.of(),
                allowedRegions, trustedAccounts, trustedOrgIds, List.of(), recheckQueueUrl, maxRechecks, recheckDelaySeconds,
                fixLimitPerHour, stackName, deploymentRoleArn, alertKeyArn, verifyActors, decommissionWindow, ruleSettings,
                memberRoleName);
    }

    /**
     * A copy in which one rule setting reads {@code value}: what a rule's decision on an actor CloudTrail did not confirm
     * sees, when what it must not do then is a setting of its own (the tags rule's TAG_CREATOR).
     */
    public Settings withRuleSetting(String name, String value) {
        Map<String, String> changed = new TreeMap<>(ruleSettings);
        changed.put(name, value);
        return new Settings(alertTopicArn, ledgerTable, mode, ruleModes, exemptTables, approvedPrincipals,
                allowedRegions, trustedAccounts, trustedOrgIds, quarantineExemptPrincipals, recheckQueueUrl, maxRechecks, recheckDelaySeconds,
                fixLimitPerHour, stackName, deploymentRoleArn, alertKeyArn, verifyActors, decommissionWindow, changed,
                memberRoleName);
    }

    private static String optional(Function<String, String> env, String name, Pattern shape, String what) {
        String value = blankToEmpty(env.apply(name));
        if (!value.isEmpty() && !shape.matcher(value).matches()) {
            throw new ConfigException(name, "'" + value + "' is not " + what);
        }
        return value;
    }

    private static List<String> list(Function<String, String> env, String name, Pattern shape, String what) {
        List<String> items = Arrays.stream(blankToEmpty(env.apply(name)).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableList());
        for (String item : items) {
            if (!shape.matcher(item).matches()) {
                throw new ConfigException(name, "'" + item + "' is not " + what);
            }
        }
        return items;
    }

    private static int integer(Function<String, String> env, String name, int fallback, int min, int max) {
        String raw = blankToEmpty(env.apply(name));
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new ConfigException(name, value + " is outside " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "'" + raw + "' is not a whole number");
        }
    }

    /** {@code true} or {@code false}, in any case; anything else stops the start. */
    private static boolean bool(Function<String, String> env, String name, boolean fallback) {
        String raw = blankToEmpty(env.apply(name)).toLowerCase(Locale.ROOT);
        if (raw.isEmpty()) {
            return fallback;
        }
        if (!raw.equals("true") && !raw.equals("false")) {
            throw new ConfigException(name, "'" + raw + "' is neither true nor false");
        }
        return Boolean.parseBoolean(raw);
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.trim();
    }
}
