package dev.ddbwarden.config;

/** Names of the environment variables ddb-warden reads; scripts and users rely on them, so they never change. */
public final class EnvVar {
    /** SNS topic that receives alerts; unset or empty writes alerts to the log instead. */
    public static final String ALERT_TOPIC_ARN = "ALERT_TOPIC_ARN";
    /** DynamoDB table that records every decision; unset or empty runs without a ledger. */
    public static final String LEDGER_TABLE = "LEDGER_TABLE";
    /** {@code remediate} (default) or {@code notify}: {@code notify} makes every rule at most notify. */
    public static final String REMEDIATION_MODE = "REMEDIATION_MODE";
    /** Comma-separated {@code rule=mode} entries, each mode {@code remediate}, {@code notify} or {@code off} ({@link RuleModes}). */
    public static final String RULE_MODES = "RULE_MODES";
    /** Comma-separated table names or glob patterns that get no action and no alert. */
    public static final String EXEMPT_TABLES = "EXEMPT_TABLES";
    /** Comma-separated IAM role ARNs allowed to decommission tables. */
    public static final String APPROVED_PRINCIPALS = "APPROVED_PRINCIPALS";
    /** Comma-separated region names where the business may hold data. */
    public static final String ALLOWED_REGIONS = "ALLOWED_REGIONS";
    /** Comma-separated 12-digit account IDs trusted besides the table's own. */
    public static final String TRUSTED_ACCOUNTS = "TRUSTED_ACCOUNTS";
    /** Comma-separated AWS Organizations IDs ({@code o-...}) whose accounts resource policies may grant. */
    public static final String TRUSTED_ORG_IDS = "TRUSTED_ORG_IDS";
    /** Comma-separated IAM role ARNs of the security team, spared by quarantine policies. */
    public static final String QUARANTINE_EXEMPT_PRINCIPALS = "QUARANTINE_EXEMPT_PRINCIPALS";
    /** Fixes of one table by one rule in an hour past which ddb-warden stops and alerts a tug of war. */
    public static final String FIX_LIMIT_PER_HOUR = "FIX_LIMIT_PER_HOUR";
    /** The registered rule a function runs (its name, as alerts use it); template.yaml sets it per function. */
    public static final String RULE = "RULE";
    /** SQS queue (with a delay) that brings back events whose table was still changing. */
    public static final String RECHECK_QUEUE_URL = "RECHECK_QUEUE_URL";
    /** How many delayed re-checks an event gets before ddb-warden gives up and alerts. */
    public static final String MAX_RECHECKS = "MAX_RECHECKS";
    /** Delay of each re-check, in seconds (SQS allows 0 to 900). */
    public static final String RECHECK_DELAY_SECONDS = "RECHECK_DELAY_SECONDS";
    /** Name of ddb-warden's own stack: the watcher knows ddb-warden's resources by it. */
    public static final String STACK_NAME = "STACK_NAME";
    /** IAM role ARN that deploys ddb-warden, or empty: the watcher rates its calls LOW. */
    public static final String DEPLOYMENT_ROLE_ARN = "DEPLOYMENT_ROLE_ARN";
    /** ARN of the alert topic's KMS key, or empty: the watcher reports calls that disable or re-policy it. */
    public static final String ALERT_KEY_ARN = "ALERT_KEY_ARN";

    /**
     * Name of the SSM parameter whose {@code KEY=value} lines hold the settings the template's Parameters
     * give (see {@link SettingsSource}); unset or empty reads every setting from the environment instead.
     */
    public static final String SETTINGS_PARAMETER = "SETTINGS_PARAMETER";

    /**
     * Settings that differ per account or OU, over the default the other variables give:
     * {@code [111122223333] ALLOWED_REGIONS=eu-west-1; RULE_MODES=ttl=off [ou-ab12-cdefgh34] REMEDIATION_MODE=notify}
     * (see {@link SettingsOverrides} and docs/organization-settings.md); unset or empty: every account alike.
     */
    public static final String SETTINGS_OVERRIDES = "SETTINGS_OVERRIDES";

    /**
     * {@code true} (default): a decision that relaxes protection because of who acted waits for CloudTrail's
     * own record to confirm the actor; {@code false} trusts the event's actor, and logs that it did.
     */
    public static final String VERIFY_ACTORS = "VERIFY_ACTORS";
    /** Longest an approved decommission keeps ddb-warden away from a table, in hours (default 24). */
    public static final String DECOMMISSION_WINDOW_HOURS = "DECOMMISSION_WINDOW_HOURS";
    /**
     * The member role ddb-warden assumes in the Organization's other accounts (template parameter MemberRoleName);
     * empty: one account, and another account's event is skipped.
     */
    public static final String MEMBER_ROLE_NAME = "MEMBER_ROLE_NAME";

    /**
     * {@code true} files every finding in Security Hub CSPM (BatchImportFindings, in the resource's account and region)
     * and closes it when fixed or found compliant; {@code false} (default) files nothing. See docs/security-hub.md.
     */
    public static final String SECURITY_HUB_FINDINGS = "SECURITY_HUB_FINDINGS";
    /** {@code true} also sends each alert to the chat topic (CHAT_TOPIC_ARN) for AWS Chatbot; default {@code false}. */
    public static final String CHAT_NOTIFICATIONS = "CHAT_NOTIFICATIONS";

    private EnvVar() {
    }
}
