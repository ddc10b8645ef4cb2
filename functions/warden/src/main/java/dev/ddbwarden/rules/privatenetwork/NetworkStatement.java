package dev.ddbwarden.rules.privatenetwork;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.check.QuarantineStatement;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.TableRef;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The statement that keeps a table off the internet: every DynamoDB action on the table and its indexes is denied
 * unless the request came through one of the table's VPC endpoints ({@code aws:SourceVpce}). It must not lock out
 * what keeps the table alive, so it spares, by {@code aws:PrincipalArn}, ddb-warden's roles, the security roles and
 * every service-linked role (AWSServiceRoleForDynamoDBReplication above all: a replica whose replication is denied
 * for 20 hours is cut from its global table for good; Application Auto Scaling's
 * AWSServiceRoleForApplicationAutoScaling_DynamoDBTable too), AWS Backup's default service role, AWS service
 * principals ({@code aws:PrincipalIsAWSService}) and forward access sessions ({@code aws:ViaAWSService}). Like the
 * quarantine statement it names everyone with {@code Principal "*"}, never {@code NotPrincipal}. Pure.
 */
public final class NetworkStatement {
    /** Statement ID ddb-warden writes and looks for. */
    public static final String SID = "DdbWardenPrivateNetwork";
    /** The role AWS Backup creates for itself and uses unless a plan names another (AWS Backup, "Default service role"). */
    static final String BACKUP_ROLE = "service-role/AWSBackupDefaultServiceRole";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private NetworkStatement() {
    }

    /** The principals the statement spares by {@code aws:PrincipalArn}, as patterns of the table's account. */
    public static List<String> spared(TableRef table, List<String> securityRoles) {
        List<String> spared = new ArrayList<>(QuarantineStatement.spared(table, securityRoles));
        spared.add("arn:" + table.partition() + ":iam::" + table.accountId() + ":role/" + BACKUP_ROLE);
        return spared;
    }

    /** The statement for {@code table}, the endpoints sorted so that the same opt-in always gives the same text. */
    public static ObjectNode statement(TableRef table, Collection<String> endpoints, List<String> securityRoles) {
        ObjectNode statement = NODES.objectNode();
        statement.put("Sid", SID);
        statement.put("Effect", "Deny");
        statement.put("Principal", "*");
        statement.put("Action", "dynamodb:*");
        statement.putArray("Resource").add(table.arn()).add(table.arn() + "/index/*");
        ObjectNode condition = statement.putObject("Condition");
        ArrayNode vpce = condition.putObject("StringNotEqualsIfExists").putArray("aws:SourceVpce");
        new TreeSet<>(endpoints).forEach(vpce::add);
        ArrayNode arns = condition.putObject("ArnNotLike").putArray("aws:PrincipalArn");
        spared(table, securityRoles).forEach(arns::add);
        condition.putObject("BoolIfExists").put("aws:PrincipalIsAWSService", "false").put("aws:ViaAWSService", "false");
        return statement;
    }

    /** The statement under ddb-warden's Sid in {@code policy}, if any; a policy that is no JSON has none. */
    static Optional<JsonNode> in(String policy) {
        try {
            for (JsonNode statement : list(JsonText.read(policy).path("Statement"))) {
                if (SID.equals(statement.path("Sid").asText())) {
                    return Optional.of(statement);
                }
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * The policy with {@code statement} in it, every other statement kept but one that took its Sid (Sids are unique
     * in a policy, and that one is ddb-warden's).
     *
     * @throws IllegalArgumentException when the existing policy is not a JSON object
     */
    static String addedTo(Optional<String> existing, JsonNode statement) {
        ObjectNode policy;
        try {
            JsonNode parsed = existing.isPresent() ? JsonText.read(existing.get()) : NODES.objectNode();
            if (!parsed.isObject()) {
                throw new IllegalArgumentException("the existing policy is not a JSON object");
            }
            policy = ((ObjectNode) parsed).deepCopy();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the existing policy is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!policy.has("Version")) {
            policy.put("Version", "2012-10-17");
        }
        ArrayNode statements = NODES.arrayNode();
        for (JsonNode old : list(policy.path("Statement"))) {
            if (!old.isMissingNode() && !SID.equals(old.path("Sid").asText())) {
                statements.add(old);
            }
        }
        statements.add(statement);
        policy.set("Statement", statements);
        return JsonText.write(policy);
    }

    /** A policy element that may be one value or a list of them, as a list. */
    private static JsonNode list(JsonNode element) {
        return element.isArray() ? element : NODES.arrayNode().add(element);
    }
}
