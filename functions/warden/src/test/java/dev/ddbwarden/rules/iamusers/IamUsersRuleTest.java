package dev.ddbwarden.rules.iamusers;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.SweptResources;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.policy.IdentityActions;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.rules.dax.RolePolicies;
import dev.ddbwarden.state.CallReads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The iam-users rule's decisions on the samples in events/, over in-memory users, groups and policies. */
class IamUsersRuleTest {
    private static final String READ_ONLY = "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess";
    private static final String S3 = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
    private static final String ORDERS = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:PutItem\",\"dynamodb:Query\"],"
            + "\"Resource\":\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\"}]}";

    private final Map<String, String> managed = new HashMap<>();
    private final Map<String, RolePolicies.Read> users = new HashMap<>();
    private final Map<String, RolePolicies.Read> groups = new HashMap<>();
    private final List<String> iamReads = new ArrayList<>();
    private final List<String> iamAccounts = new ArrayList<>();
    private final IamUsersRule rule = new IamUsersRule(account -> iamAccounts.add(account) ? policiesIn(account) : null);

    private UserPolicies policiesIn(String account) {
        return new UserPolicies() {
        @Override
        public Optional<RolePolicies.Read> user(String name) {
            iamReads.add("user " + name);
            return Optional.ofNullable(users.get(name));
        }

        @Override
        public Optional<RolePolicies.Read> group(String name) {
            iamReads.add("group " + name);
            return Optional.ofNullable(groups.get(name));
        }

        @Override
        public Optional<IdentityActions.Named> managed(String arn) {
            iamReads.add("policy " + arn);
            return Optional.ofNullable(managed.get(arn)).map(json -> new IdentityActions.Named(arn, json));
        }

        @Override
        public List<String> userArns() {
            return users.keySet().stream().sorted().map(n -> "arn:aws:iam::" + account + ":user/" + n).toList();
        }

        @Override
        public List<String> groupArns() {
            return groups.keySet().stream().sorted().map(n -> "arn:aws:iam::" + account + ":group/" + n).toList();
        }

        @Override
        public String homeRegion() {
            return "us-east-1";
        }
        };
    }

    /** As the pipeline decides: the rule's call augments read, then its pure decision. */
    private Optional<ResourceFinding> decide(ApiCall call, Settings settings) {
        return rule.evaluateResource(call, CallReads.read(rule.callAugments(), call, settings), settings);
    }

    private static ApiCall sample(String file) throws IOException {
        return TestEvents.call(TestEvents.tree(Files.readString(Path.of("../../events", file))));
    }

    private static Settings settings() {
        return Settings.from(Map.of("ALLOWED_REGIONS", "us-east-1")::get, Rules.settingNames());
    }

    private static RolePolicies.Read policies(String... documents) {
        List<IdentityActions.Named> named = new ArrayList<>();
        for (int i = 0; i < documents.length; i++) {
            named.add(new IdentityActions.Named("policy-" + i, documents[i]));
        }
        return new RolePolicies.Read(named, List.of());
    }

    @Test
    void aTableCreatedAndDeletedByAnIamUser_shouldBeOneMediumFindingForTheUserAndDay() throws IOException {
        ApiCall created = sample("iam-users-create-table.json");
        ResourceFinding create = decide(created, settings()).orElseThrow();
        ResourceFinding delete = decide(sample("iam-users-delete-table.json"), settings()).orElseThrow();

        assertThat(create.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(create.resource().arn()).isEqualTo("arn:aws:iam::123456789012:user/Alice");
        assertThat(create.detail()).contains("IAM user arn:aws:iam::123456789012:user/Alice called dynamodb:CreateTable on table orders");
        assertThat(delete.detail()).contains("dynamodb:DeleteTable on table payments");
        assertThat(create.advice()).contains("role", "update-access-key", "--status Inactive");
        // THEN both calls of that day are one occurrence: the ledger keys the alert by user and day
        assertThat(create.once()).isEqualTo("day#2024-05-14").isEqualTo(delete.once());
        assertThat(create.resource()).isEqualTo(delete.resource());
        assertThat(iamReads).as("a call is judged on its record alone").isEmpty();
    }

    /** Found by bench/faults: a mutated record's 2 KB user ARN could not key the ledger, and every retry failed again. */
    @Test
    void aUserArnIamWouldNotMake_shouldBeNoFinding() throws IOException {
        String created = Files.readString(Path.of("../../events", "iam-users-create-table.json"));
        String longPath = "arn:aws:iam::123456789012:user/" + "p/".repeat(300) + "Alice";
        String badName = "arn:aws:iam::123456789012:user/Al ice";

        for (String arn : List.of(longPath, badName)) {
            ApiCall call = TestEvents.call(TestEvents.tree(created.replace("arn:aws:iam::123456789012:user/Alice", arn)));
            assertThat(decide(call, settings())).as(arn).isEmpty();
        }
        String deepButValid = "arn:aws:iam::123456789012:user/" + "p/".repeat(200) + "Alice";
        ApiCall valid = TestEvents.call(TestEvents.tree(created.replace("arn:aws:iam::123456789012:user/Alice", deepButValid)));
        assertThat(decide(valid, settings())).isPresent();
    }

    @Test
    void aDaxCallByAnIamUser_shouldBeFoundToo() throws IOException {
        ResourceFinding finding = decide(sample("iam-users-dax-create-cluster.json"), settings()).orElseThrow();

        assertThat(finding.detail()).contains("called dax:CreateCluster in us-east-1");
        assertThat(finding.once()).isEqualTo("day#2024-06-04");
        assertThat(decide(sample("dax-create-cluster-encrypted.json"), settings())).isEmpty();
    }

    @Test
    void theSameCallByARoleSession_shouldBeFine() throws IOException {
        assertThat(decide(sample("delete-table.json"), settings())).isEmpty();
        assertThat(decide(sample("create-table-unprotected.json"), settings())).isEmpty();
    }

    @Test
    void anAwsManagedPolicyAttachedToAUser_shouldNameTheActionsItGrants() throws IOException {
        managed.put(READ_ONLY, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:BatchGet*\","
                + "\"dynamodb:Describe*\",\"dynamodb:Get*\",\"dynamodb:Query\",\"dynamodb:Scan\",\"dax:Describe*\",\"dax:Get*\"],\"Resource\":\"*\"}]}");

        ResourceFinding finding = decide(sample("iam-users-attach-user-policy.json"), settings()).orElseThrow();

        assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(finding.resource().arn()).isEqualTo("arn:aws:iam::123456789012:user/reporting-app");
        assertThat(finding.detail()).contains("attached policy " + READ_ONLY + " to IAM user reporting-app",
                "dynamodb:BatchGetItem", "and ", "more), granted by " + READ_ONLY).doesNotContain("dynamodb:PutItem");
        assertThat(finding.once()).as("a grant alerts once per event").isEmpty();
        assertThat(iamReads).containsExactly("policy " + READ_ONLY);
    }

    @Test
    void anInlineGroupPolicy_shouldBeJudgedFromTheRecordsDocument() throws IOException {
        ResourceFinding finding = decide(sample("iam-users-put-group-policy.json"), settings()).orElseThrow();

        assertThat(finding.resource().arn()).isEqualTo("arn:aws:iam::123456789012:group/order-writers");
        assertThat(finding.title()).isEqualTo("DynamoDB access granted to an IAM group");
        assertThat(finding.detail()).contains("may use 4 DynamoDB and DAX actions (dynamodb:GetItem, dynamodb:PutItem,"
                + " dynamodb:Query, dynamodb:UpdateItem), granted by orders-read-write");
        assertThat(iamReads).isEmpty();
    }

    @Test
    void aUserAddedToAGroup_shouldAlertOnlyWhenTheGroupReachesDynamoDb() throws IOException {
        groups.put("order-writers", policies(S3));
        assertThat(decide(sample("iam-users-add-user-to-group.json"), settings())).isEmpty();

        groups.put("order-writers", policies(S3, ORDERS));
        ResourceFinding finding = decide(sample("iam-users-add-user-to-group.json"), settings()).orElseThrow();

        assertThat(finding.resource().arn()).isEqualTo("arn:aws:iam::123456789012:user/batch-loader");
        assertThat(finding.detail()).contains("added IAM user batch-loader to group order-writers", "dynamodb:PutItem, dynamodb:Query");
    }

    @Test
    void anAccessKeyForAUserWithDynamoDbAccess_shouldAlert_andForOneWithoutNot() throws IOException {
        users.put("batch-loader", policies(S3));
        assertThat(decide(sample("iam-users-create-access-key.json"), settings())).isEmpty();

        users.put("batch-loader", policies(ORDERS));
        assertThat(decide(sample("iam-users-create-access-key.json"), settings())).hasValueSatisfying(finding ->
                assertThat(finding.detail()).contains("created an access key for IAM user batch-loader"));
    }

    @Test
    void aPolicyDeniedEverywhere_orAUserGone_shouldAlertNothing() throws IOException {
        users.put("batch-loader", policies(ORDERS, "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}]}"));
        assertThat(decide(sample("iam-users-create-access-key.json"), settings())).isEmpty();

        users.clear();
        assertThat(decide(sample("iam-users-create-access-key.json"), settings())).isEmpty();
    }

    @Test
    void aNameIamWouldRefuse_shouldReadNothing() throws IOException {
        String forged = Files.readString(Path.of("../../events/iam-users-add-user-to-group.json"))
                .replace("\"order-writers\"", "\"order writers/../x\"");

        assertThat(decide(TestEvents.call(TestEvents.tree(forged)), settings())).isEmpty();
        assertThat(iamReads).isEmpty();
    }

    @Test
    void onTheRecordAlone_asARuleThatIsOffIsDecided_shouldReadNothing() throws IOException {
        managed.put(READ_ONLY, ORDERS);
        users.put("batch-loader", policies(ORDERS));
        groups.put("order-writers", policies(ORDERS));

        for (String file : List.of("iam-users-attach-user-policy.json", "iam-users-add-user-to-group.json",
                "iam-users-create-access-key.json", "iam-users-put-group-policy.json", "iam-users-create-table.json")) {
            rule.evaluateResource(sample(file), CallReads.none(), settings());
        }

        assertThat(iamReads).isEmpty();
    }

    @Test
    void theSweep_shouldReportUsersAndGroupsWithAccess_inTheHomeRegionOnly() {
        users.put("batch-loader", policies(ORDERS));
        users.put("auditor", policies(S3));
        groups.put("order-writers", policies(ORDERS));

        SweptResources swept = rule.sweepResources("123456789012", "us-east-1", settings());
        List<ResourceFinding> home = swept.found();
        List<ResourceFinding> elsewhere = rule.sweepResources("123456789012", "eu-west-1", settings()).found();

        assertThat(home).extracting(f -> f.resource().arn()).containsExactly("arn:aws:iam::123456789012:user/batch-loader",
                "arn:aws:iam::123456789012:group/order-writers");
        assertThat(home).extracting(ResourceFinding::title).containsExactly("IAM user with DynamoDB access",
                "IAM group with DynamoDB access");
        assertThat(home.get(0).resource().accountId()).isEqualTo("123456789012");
        assertThat(elsewhere).as("IAM is global: once per sweep").isEmpty();
        assertThat(swept.compliant()).as("read, and gave no finding: its finding is closed").singleElement().satisfies(user -> {
            assertThat(user.arn()).isEqualTo("arn:aws:iam::123456789012:user/auditor");
            assertThat(user.kind()).isEqualTo("IAM user");
            assertThat(user.region()).isEqualTo("us-east-1");
        });
    }

    @Test
    void theSweepOfAMemberAccount_shouldReadThatAccountsIam_andNameItsUsers() {
        users.put("batch-loader", policies(ORDERS));
        String member = "222222222222";

        List<ResourceFinding> found = rule.sweepResources(member, "us-east-1", settings()).found();

        assertThat(iamAccounts).containsOnly(member);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.resource().arn()).isEqualTo("arn:aws:iam::222222222222:user/batch-loader");
            assertThat(f.resource().accountId()).isEqualTo(member);
        });
    }
}
