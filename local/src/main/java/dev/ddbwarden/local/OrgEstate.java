package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Organization {@code ./warden demo --org} plays in one moto_server, as it stands before ddb-warden acts: the
 * security account's ledger and alert topic, and in each member account member.yaml's role (created as its StackSet
 * instance would be), the member's tables and the risky calls it makes on them, as their events will be delivered.
 *
 * @param topicArn the security account's alert topic
 * @param members  each member's estate, read and written with that member's role
 * @param events   each member's events (events/ samples, the account rewritten), by account and file
 */
record OrgEstate(String topicArn, Map<String, LocalEstate> members, Map<String, String> events) {
    static final String HOME = LocalAws.ACCOUNT;
    static final String ROLE = "ddb-warden-remediator";
    /** The role a service-managed StackSet deploys member.yaml through, in each member account. */
    static final String STACKSET_ROLE = "stacksets-exec-ddb-warden";
    /** Each member account and the events replayed from it (events/ samples, the account rewritten). */
    static final Map<String, List<String>> MEMBERS = new LinkedHashMap<>();

    static {
        MEMBERS.put("222222222222", List.of("create-table-unprotected.json", "update-table-protection-off.json"));
        MEMBERS.put("333333333333", List.of("create-table-unprotected.json", "put-resource-policy-public.json"));
    }
    /** The members' tables: created unprotected (orders), protected then turned off (payments), shared (shared-reports). */
    static final String CREATED = "orders";
    static final String TURNED_OFF = "payments";
    static final String SHARED = "shared-reports";
    /** A member's table no event named (made before ddb-warden): the sweep finds it, reports first, then fixes it. */
    static final String UNSEEN = "legacy-exports";
    static final String UNSEEN_IN = "333333333333";

    /**
     * Builds the Organization beside {@code home}, the security account's estate, its member roles given the security
     * stack's SecurityHubFindings as the StackSet passes it on.
     */
    static OrgEstate build(Path root, LocalEstate home, String securityHubFindings) throws Exception {
        String topicArn = home.createAlertTopic();
        home.createLedger();
        home.dynamo().updateTable(r -> r.tableName(LocalEstate.LEDGER).deletionProtectionEnabled(true));
        Map<String, LocalEstate> members = new LinkedHashMap<>();
        Map<String, String> events = new LinkedHashMap<>();
        for (String account : MEMBERS.keySet()) {
            createMemberRole(root, account, securityHubFindings);
            LocalEstate member = home.inAccount(account, ROLE);
            members.put(account, member);
            member.createTable(CREATED, false);
            member.createTable(TURNED_OFF, true);
            member.createTable(SHARED, true);
            if (account.equals(UNSEEN_IN)) {
                member.createTable(UNSEEN, false);
            }
            for (String file : MEMBERS.get(account)) {
                String event = Files.readString(root.resolve("events").resolve(file)).replace(HOME, account);
                if (file.startsWith("update-table-protection-off")) {
                    member.dynamo().updateTable(r -> r.tableName(TURNED_OFF).deletionProtectionEnabled(false));
                }
                events.put(account + " " + file, file.startsWith("put-resource-policy") ? member.replayPolicyWrite(event) : event);
            }
        }
        return new OrgEstate(topicArn, members, events);
    }

    /** member.yaml's MemberRole, created in {@code account} as its StackSet instance would: name, path, trust, policy. */
    private static void createMemberRole(Path root, String account, String securityHubFindings) throws Exception {
        Template member = Template.read(root.resolve("member.yaml"));
        TemplateValues values = new TemplateValues(member.parameters(), Map.of("SecurityAccountId", HOME, "MemberRoleName", ROLE,
                "SecurityHubFindings", securityHubFindings), LocalAws.REGION, account);
        Map<String, Object> properties = Template.map(member.resource("MemberRole").get("Properties"));
        ObjectMapper json = new ObjectMapper();
        try (IamClient iam = IamClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.AWS_GLOBAL)
                .credentialsProvider(LocalEstate.assumed("arn:aws:iam::" + account + ":role/" + STACKSET_ROLE)).build()) {
            iam.createRole(r -> r.roleName(values.resolve(properties.get("RoleName"))).path(values.resolve(properties.get("Path")))
                    .assumeRolePolicyDocument(write(json, values.resolveWithin(properties.get("AssumeRolePolicyDocument"), member.conditions()))));
            for (Object policy : Template.list(properties.get("Policies"))) {
                Map<String, Object> body = Template.map(policy);
                iam.putRolePolicy(r -> r.roleName(ROLE).policyName(String.valueOf(body.get("PolicyName")))
                        .policyDocument(write(json, values.resolveWithin(body.get("PolicyDocument"), member.conditions()))));
            }
        }
    }

    private static String write(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The security account, then the members. */
    static List<String> accounts() {
        List<String> accounts = new ArrayList<>(List.of(HOME));
        accounts.addAll(MEMBERS.keySet());
        return accounts;
    }

    /** A member's own credentials: its role, as member.yaml makes it. */
    static AwsCredentialsProvider memberCredentials(String account) {
        return LocalEstate.assumed("arn:aws:iam::" + account + ":role/ddb-warden/" + ROLE);
    }
}
