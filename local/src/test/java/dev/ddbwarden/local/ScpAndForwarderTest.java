package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preventive layer in front of ddb-warden: the service control policies in scp/ are deny-only IAM policy documents
 * (ScpRenderTest holds them, rendered, to the SCP size limit), and forwarder.yaml (cfn-lint clean: TemplateLintIT)
 * forwards DynamoDB CloudTrail events to the home bus with a role that may do nothing else.
 */
class ScpAndForwarderTest {
    private static final Path SCP = Project.ROOT.resolve("scp");
    private static final Path FORWARDER = Project.ROOT.resolve("forwarder.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> KNOWN_OPERATORS = Set.of("StringEquals", "StringNotEquals", "StringLike",
            "StringNotLike", "ArnLike", "ArnNotLike", "ForAnyValue:StringLike", "ForAnyValue:StringNotLike", "Null",
            "Bool", "StringNotEqualsIfExists", "BoolIfExists");
    private static final String ACTION = "[a-z0-9-]+:([A-Za-z0-9]+\\*?|\\*)";

    static List<Path> scpFiles() throws IOException {
        try (Stream<Path> files = Files.list(SCP)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void scpDirectory_shouldHoldThePolicies() throws IOException {
        assertThat(scpFiles()).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
                "deny-tables-outside-allowed-regions.json", "deny-delete-table.json",
                "deny-resource-policy-changes.json", "protect-ddb-warden.json", "protect-ddb-warden-runtime.json",
                "deny-ttl-changes.json", "rcp-dynamodb-perimeter.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scpFiles")
    void scp_shouldBeADenyOnlyPolicyDocument(Path file) throws IOException {
        JsonNode policy = JSON.readTree(file.toFile());
        assertThat(policy.isObject()).as("%s is a JSON object", file).isTrue();
        assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
        JsonNode statements = policy.path("Statement");
        assertThat(statements.isArray()).as("Statement is a list").isTrue();
        assertThat(statements).as("Statement").isNotEmpty();

        Set<String> sids = new HashSet<>();
        for (JsonNode statement : statements) {
            String sid = statement.path("Sid").asText("");
            assertThat(sid).as("Sid of %s", statement).matches("[A-Za-z0-9]+");
            assertThat(sids.add(sid)).as("Sid %s is unique", sid).isTrue();
            assertThat(statement.path("Effect").asText()).as("Effect of %s", sid).isEqualTo("Deny");
            assertThat(strings(statement.get("Action"))).as("Action of %s", sid)
                    .isNotEmpty()
                    .allSatisfy(action -> assertThat(action).matches(ACTION));
            assertThat(strings(statement.get("Resource"))).as("Resource of %s", sid)
                    .isNotEmpty()
                    .allSatisfy(resource -> assertThat(resource).matches("\\*|arn:.+"));
            JsonNode condition = statement.path("Condition");
            if (!condition.isMissingNode()) {
                assertThat(condition.isObject()).as("Condition of %s", sid).isTrue();
                List<String> operators = new ArrayList<>();
                condition.fieldNames().forEachRemaining(operators::add);
                assertThat(operators).as("condition operators of %s", sid).isSubsetOf(KNOWN_OPERATORS);
                condition.forEach(keys -> {
                    assertThat(keys.isObject()).as("keys under an operator of %s", sid).isTrue();
                    keys.forEach(values -> assertThat(strings(values)).as("values in %s", sid).isNotEmpty());
                });
            }
        }
    }

    @Test
    void regionScp_shouldCoverEveryWayATableComesIntoBeing() throws IOException {
        JsonNode policy = JSON.readTree(SCP.resolve("deny-tables-outside-allowed-regions.json").toFile());
        List<String> denied = new ArrayList<>();
        policy.path("Statement").forEach(statement -> {
            if (statement.path("Condition").path("StringNotEquals").has("aws:RequestedRegion")) {
                denied.addAll(strings(statement.get("Action")));
            }
        });
        assertThat(denied).contains("dynamodb:CreateTable", "dynamodb:RestoreTableFromBackup",
                "dynamodb:RestoreTableFromAwsBackup",
                "dynamodb:RestoreTableToPointInTime", "dynamodb:ImportTable", "dynamodb:CreateTableReplica",
                "dynamodb:CreateGlobalTable", "dynamodb:UpdateGlobalTable");
    }

    @Test
    void forwarder_shouldForwardDynamoDbEventsWithARoleThatMayOnlyPutEvents() throws IOException {
        Template forwarder = Template.read(FORWARDER);
        List<Map<String, Object>> forwardingTargets = new ArrayList<>();
        forwarder.resources().forEach((id, body) -> {
            Map<String, Object> resource = Template.map(body);
            Map<String, Object> properties = Template.map(resource.get("Properties"));
            Map<String, Object> pattern = Template.map(properties.get("EventPattern"));
            if ("AWS::Events::Rule".equals(resource.get("Type"))
                    && Template.list(pattern.get("source")).contains("aws.dynamodb")) {
                Template.list(properties.get("Targets")).forEach(target -> forwardingTargets.add(Template.map(target)));
            }
        });
        assertThat(forwardingTargets).as("targets of rules matching source aws.dynamodb").isNotEmpty();

        for (Map<String, Object> target : forwardingTargets) {
            Object roleArn = target.get("RoleArn");
            assertThat(roleArn).as("RoleArn of target %s", target.get("Id")).isInstanceOf(Map.class);
            List<Object> getAtt = Template.list(Template.map(roleArn).get("Fn::GetAtt"));
            assertThat(getAtt).as("RoleArn is !GetAtt Role.Arn").hasSize(2).endsWith("Arn");
            String roleId = String.valueOf(getAtt.get(0));
            assertThat(forwarder.resource(roleId).get("Type")).isEqualTo("AWS::IAM::Role");

            List<Map<String, Object>> statements = forwarder.roleStatements(roleId);
            assertThat(statements).as("statements of %s", roleId).isNotEmpty();
            assertThat(statements).extracting(s -> s.get("Effect")).containsOnly("Allow");
            List<String> actions = statements.stream()
                    .flatMap(s -> Template.list(s.get("Action")).stream())
                    .map(String::valueOf)
                    .collect(Collectors.toList());
            assertThat(actions).as("actions %s allows", roleId).containsExactly("events:PutEvents");
        }
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull() || node.isMissingNode()) {
            return values;
        }
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(each -> assertThat(each.isTextual()).as("%s is a string", each).isTrue());
            node.forEach(each -> values.add(each.asText()));
        } else {
            throw new AssertionError("expected a string or a list of strings, got " + node);
        }
        return values;
    }
}
