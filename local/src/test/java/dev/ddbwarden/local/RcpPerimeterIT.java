package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.local.IamSimulator.Case;
import dev.ddbwarden.local.IamSimulator.Policies;
import dev.ddbwarden.local.IamSimulator.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ddbwarden.local.IamSimulator.ACCOUNT;
import static dev.ddbwarden.local.IamSimulator.ALLOW_ALL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * scp/rcp-dynamodb-perimeter.json, rendered with scp/settings as shipped, as a resource control policy in IAM's own
 * evaluation (@cloud-copilot/iam-simulate): the organization's callers reach DynamoDB only through the allowed VPC
 * endpoint, callers of other organizations not at all, and what keeps a table alive (replication, auto scaling, AWS
 * Backup, AWS services, ddb-warden, the security roles) from anywhere. It is no SCP, and no SCP list of the tests holds it.
 */
class RcpPerimeterIT {
    private static final String TABLE = "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/orders";
    private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/";
    private static final String ORG = "o-exampleorgid";
    private static final String VPCE = "vpce-0a1b2c3d4e5f60718";
    private static JsonNode rcp;

    @BeforeAll
    static void render() throws Exception {
        RenderedScps.Rendered rendered = RenderedScps.render(RenderedScps.SHIPPED_SETTINGS).get("rcp-dynamodb-perimeter.json");
        assertThat(rendered.scp()).isFalse();
        assertThat(RenderedScps.shipped(Map.of())).doesNotContain(rendered.policy());
        rcp = rendered.policy();
    }

    @Test
    void rcp_shouldBeWhatAwsOrganizationsTakesAsAnRcp() {
        assertThat(rcp.path("Statement")).isNotEmpty().allSatisfy(statement -> {
            assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
            assertThat(statement.path("Principal").asText()).isEqualTo("*");
            assertThat(statement.has("NotPrincipal") || statement.has("NotAction")).isFalse();
        });
    }

    private static Map<String, Object> context(String org, String vpce, boolean service) {
        Map<String, Object> context = new LinkedHashMap<>();
        if (!org.isEmpty()) {
            context.put("aws:PrincipalOrgID", org);
        }
        if (!vpce.isEmpty()) {
            context.put("aws:SourceVpce", vpce);
        }
        context.put("aws:PrincipalIsAWSService", String.valueOf(service));
        context.put("aws:ViaAWSService", "false");
        return context;
    }

    @Test
    void perimeter_shouldLetTheOrganizationInThroughItsEndpoint_andWhatKeepsTablesAliveFromAnywhere() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        List<Case> cases = new ArrayList<>();
        Map<String, Map<String, Object>> callers = new LinkedHashMap<>();
        callers.put(ROLE + "orders-app|through the endpoint|Allowed", context(ORG, VPCE, false));
        callers.put(ROLE + "orders-app|from the internet|ExplicitlyDenied", context(ORG, "", false));
        callers.put(ROLE + "orders-app|through another endpoint|ExplicitlyDenied", context(ORG, "vpce-0fffffffffffffff0", false));
        callers.put("arn:aws:iam::210987654321:role/partner|of another organization, through the endpoint|ExplicitlyDenied",
                context("o-otherorg123", VPCE, false));
        callers.put(ROLE + "aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication"
                + "|replication, from anywhere|Allowed", context(ORG, "", false));
        callers.put(ROLE + "service-role/AWSBackupDefaultServiceRole|AWS Backup's role, from anywhere|Allowed", context(ORG, "", false));
        callers.put(ROLE + "ddb-warden/ddb-warden-PrivateNetworkRole-AbC|ddb-warden, from anywhere|Allowed", context(ORG, "", false));
        callers.put(ROLE + "security/responder|a security role, from anywhere|Allowed", context(ORG, "", false));
        callers.forEach((key, context) -> {
            String[] parts = key.split("\\|");
            String name = parts[0] + " " + parts[1];
            expected.put(name, parts[2]);
            cases.add(new Case(name, new Request(parts[0], "dynamodb:GetItem", TABLE, context),
                    new Policies(List.of(ALLOW_ALL), List.of(), parts[0].contains(ACCOUNT) ? null : crossAccountGrant(parts[0]),
                            List.of(rcp))));
        });
        expected.put("AWS Backup's service principal", "Allowed");
        cases.add(new Case("AWS Backup's service principal", new Request("backup.amazonaws.com", "dynamodb:StartAwsBackupJob",
                TABLE, context("", "", true)), new Policies(List.of(), List.of(), crossAccountGrant("backup.amazonaws.com"),
                List.of(rcp))));

        assertThat(IamSimulator.decide(cases)).isEqualTo(expected);
    }

    /** A table policy granting {@code principal} every DynamoDB action: what the RCP must still deny or let pass. */
    private static JsonNode crossAccountGrant(String principal) {
        com.fasterxml.jackson.databind.node.ObjectNode policy = Harness.JSON.createObjectNode().put("Version", "2012-10-17");
        com.fasterxml.jackson.databind.node.ObjectNode statement = policy.putArray("Statement").addObject()
                .put("Effect", "Allow").put("Action", "dynamodb:*").put("Resource", TABLE);
        statement.putObject("Principal").put(principal.startsWith("arn:") ? "AWS" : "Service", principal);
        return policy;
    }
}
