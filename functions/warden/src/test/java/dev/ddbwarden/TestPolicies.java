package dev.ddbwarden;

import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;

import java.util.Map;

/**
 * Resource-policy statements for the public-access rule's tests, each exactly as a policy holds it, so
 * that a test can look for the verbatim text of a removed statement. The trust they are judged against
 * is {@link #TRUSTING}: the tests' own account {@value TestEvents#ACCOUNT}, the partner account
 * {@value #PARTNER_ACCOUNT} and the organization {@value #TRUSTED_ORG}.
 */
public final class TestPolicies {
    public static final String PARTNER_ACCOUNT = "444455556666";
    public static final String TRUSTED_ORG = "o-trusted1234";
    public static final String UNTRUSTED_ACCOUNT = "999988887777";
    /** TRUSTED_ACCOUNTS and TRUSTED_ORG_IDS set to the partner account and the trusted organization. */
    public static final Settings TRUSTING = Settings.from(Map.of(EnvVar.TRUSTED_ACCOUNTS, PARTNER_ACCOUNT,
            EnvVar.TRUSTED_ORG_IDS, TRUSTED_ORG)::get);

    /** A role of the table's own account: never a leak. */
    public static final String OWN_ROLE = """
            {"Sid": "ReportsReader", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/reports-reader"}, \
            "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": "*"}""";
    /** Everyone: a public leak. */
    public static final String EVERYONE = """
            {"Sid": "EveryoneRead", "Effect": "Allow", "Principal": "*", "Action": ["dynamodb:GetItem", "dynamodb:Query"], \
            "Resource": "*"}""";
    /** The trusted partner account. */
    public static final String PARTNER = """
            {"Sid": "TrustedPartner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/feed-consumer"}, \
            "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": "*"}""";
    /** An account nobody trusts: a cross-account leak. */
    public static final String STRANGER = """
            {"Sid": "UnknownAccount", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, \
            "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": "*"}""";
    /** Everyone, but only callers of the trusted organization: not a leak. */
    public static final String TRUSTED_ORG_ONLY = """
            {"Sid": "OrgRead", "Effect": "Allow", "Principal": "*", "Action": ["dynamodb:GetItem", "dynamodb:Query"], \
            "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-trusted1234"}}}""";
    /** A stream shared with an account nobody trusts: a cross-account leak. */
    public static final String STREAM_TO_STRANGER = """
            {"Sid": "StreamToPartner", "Effect": "Allow", "Principal": {"AWS": "999988887777"}, \
            "Action": ["dynamodb:GetRecords", "dynamodb:GetShardIterator"], "Resource": "*"}""";
    /** A stream read by everyone: a public leak. */
    public static final String STREAM_TO_EVERYONE = """
            {"Sid": "StreamToAll", "Effect": "Allow", "Principal": {"AWS": "*"}, \
            "Action": ["dynamodb:GetRecords", "dynamodb:GetShardIterator"], "Resource": "*"}""";

    private TestPolicies() {
    }

    /** A policy of these statements, in this order, joined the way {@code PolicyAnalyzer} keeps them joined. */
    public static String policy(String... statements) {
        return "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}";
    }
}
