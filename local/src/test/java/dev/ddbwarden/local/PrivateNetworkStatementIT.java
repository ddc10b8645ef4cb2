package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.Parsed;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.local.IamSimulator.Case;
import dev.ddbwarden.local.IamSimulator.Policies;
import dev.ddbwarden.local.IamSimulator.Request;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.rules.privatenetwork.PrivateNetworkRemedy;
import dev.ddbwarden.rules.privatenetwork.PrivateNetworkRule;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.local.IamSimulator.ACCOUNT;
import static dev.ddbwarden.local.IamSimulator.ALLOW_ALL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statement the private-network rule writes, held to its promise by IAM's own evaluation (@cloud-copilot/iam-simulate,
 * see {@link IamSimulator}): the policy is the one the rule's fix would write, produced by the real decision on the
 * DeleteResourcePolicy sample, beside an owner's statement that lets AWS Backup's service principal in. Every principal
 * the statement spares is still allowed from anywhere; any other caller is allowed through the table's endpoint and
 * denied outside it. moto evaluates no policy, so this is where the statement's meaning is proved.
 */
class PrivateNetworkStatementIT {
    private static final String VPCE = "vpce-0a1b2c3d4e5f60718";
    private static final String TABLE = "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/orders";
    private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/";
    private static final String SECURITY = ROLE + "security/responder";
    private static final String DEVELOPER = ROLE + "developer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWNERS_STATEMENT = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"BackupService\","
            + "\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"backup.amazonaws.com\"},\"Action\":\"dynamodb:*\",\"Resource\":\""
            + TABLE + "\"}]}";
    private static JsonNode policy;

    /** The policy the rule writes back after the DeleteResourcePolicy sample, on orders opted in by a held tag. */
    @BeforeAll
    static void writtenByTheRule() throws Exception {
        ApiCall call = ((Parsed.Call) ApiCallParser.parse(JSON.readTree(Project.event("private-network-delete-resource-policy.json")))).call();
        TableRef orders = new TableRef("aws", "us-east-1", ACCOUNT, "orders");
        TableState state = new TableState(orders, "ACTIVE", Map.of(PrivateNetworkRule.TAG_KEY, VPCE))
                .withAugment(Hold.Held.class, Hold.Held.NONE.with(new Hold(Hold.Kind.NETWORK, TABLE, Instant.EPOCH,
                        Optional.empty(), Optional.of(VPCE))))
                .withAugment(ResourcePolicies.class, new ResourcePolicies(Optional.of(new ResourcePolicy(TABLE,
                        OWNERS_STATEMENT, "1")), "", Optional.empty()));
        Settings settings = Settings.from(Map.of("QUARANTINE_EXEMPT_PRINCIPALS", SECURITY)::get, Rules.settingNames());
        PrivateNetworkRemedy.Protect protect = (PrivateNetworkRemedy.Protect) new PrivateNetworkRule()
                .evaluate(call, orders, Optional.of(state), settings, Instant.EPOCH).get(0).remedy();
        policy = JSON.readTree(protect.cut().orElseThrow().rewritten().orElseThrow());
    }

    private static Map<String, Object> from(String vpce, boolean service, boolean viaService) {
        Map<String, Object> context = new LinkedHashMap<>();
        if (!vpce.isEmpty()) {
            context.put("aws:SourceVpce", vpce);
        }
        context.put("aws:PrincipalIsAWSService", String.valueOf(service));
        context.put("aws:ViaAWSService", String.valueOf(viaService));
        return context;
    }

    private static Case role(String name, String principal, String action, String resource, Map<String, Object> context) {
        return new Case(name, new Request(principal, action, resource, context), new Policies(List.of(ALLOW_ALL), List.of(), policy));
    }

    @Test
    void everySparedPrincipal_shouldStillBeAllowed_fromOutsideTheEndpoints() throws Exception {
        List<Case> cases = new ArrayList<>();
        Map<String, Object> outside = from("", false, false);
        cases.add(role("ddb-warden's private-network role writes the policy", ROLE + "ddb-warden/ddb-warden-PrivateNetworkRole-AbC",
                "dynamodb:PutResourcePolicy", TABLE, outside));
        cases.add(role("the sweep reads the table", ROLE + "ddb-warden/ddb-warden-SweepRegionRole-AbC", "dynamodb:DescribeTable",
                TABLE, outside));
        cases.add(role("a security role reads an item", SECURITY, "dynamodb:GetItem", TABLE, outside));
        for (String action : List.of("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:GetItem")) {
            cases.add(role("replication " + action, ROLE + "aws-service-role/replication.dynamodb.amazonaws.com/"
                    + "AWSServiceRoleForDynamoDBReplication", action, TABLE, outside));
        }
        for (String action : List.of("dynamodb:DescribeTable", "dynamodb:UpdateTable")) {
            cases.add(role("Application Auto Scaling " + action, ROLE + "aws-service-role/dynamodb.application-autoscaling"
                    + ".amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable", action, TABLE, outside));
            cases.add(role("Application Auto Scaling " + action + " on an index", ROLE + "aws-service-role/dynamodb."
                    + "application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable", action,
                    TABLE + "/index/by-customer", outside));
        }
        cases.add(role("AWS Backup's default role", ROLE + "service-role/AWSBackupDefaultServiceRole", "dynamodb:StartAwsBackupJob",
                TABLE, outside));
        cases.add(role("a forward access session (aws:ViaAWSService)", DEVELOPER, "dynamodb:GetItem", TABLE, from("", false, true)));
        cases.add(new Case("AWS Backup's service principal (aws:PrincipalIsAWSService)", new Request("backup.amazonaws.com",
                "dynamodb:StartAwsBackupJob", TABLE, from("", true, false)), new Policies(List.of(), List.of(), policy)));

        assertThat(IamSimulator.decide(cases)).hasSize(14).allSatisfy((name, result) ->
                assertThat(result).as(name).isEqualTo("Allowed"));
    }

    @Test
    void anyoneElse_shouldBeAllowedThroughTheEndpoint_andDeniedOutsideIt() throws Exception {
        List<Case> cases = new ArrayList<>();
        Map<String, String> expected = new LinkedHashMap<>();
        for (String action : List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:DeleteResourcePolicy")) {
            for (String resource : List.of(TABLE, TABLE + "/index/by-customer")) {
                for (String vpce : List.of(VPCE, "vpce-0fffffffffffffff0", "")) {
                    String name = action + " on " + resource + " from " + (vpce.isEmpty() ? "the internet" : vpce);
                    cases.add(role(name, DEVELOPER, action, resource, from(vpce, false, false)));
                    expected.put(name, vpce.equals(VPCE) ? "Allowed" : "ExplicitlyDenied");
                }
            }
        }
        cases.add(role("a role under a path like ddb-warden's", ROLE + "ddb-warden-lookalike/x", "dynamodb:GetItem", TABLE,
                from("", false, false)));
        expected.put("a role under a path like ddb-warden's", "ExplicitlyDenied");

        assertThat(IamSimulator.decide(cases)).isEqualTo(expected);
    }

    @Test
    void theStatement_shouldNameOnlyActionsAndKeysTheServiceAuthorizationReferenceKnows() throws Exception {
        assertThat(IamSimulator.unknownIn(Map.of("private-network", policy))).singleElement().satisfies(unknown -> {
            assertThat(unknown.actions()).isEmpty();
            assertThat(unknown.keys()).isEmpty();
        });
    }
}
