package dev.ddbwarden.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The deny statement that quarantines a table: every principal but ddb-warden's own roles, the
 * security roles and AWS service-linked roles (so backups and replication keep working) is refused
 * every DynamoDB action on the table, its indexes and its stream. It names everyone with
 * {@code Principal "*"} and spares by {@code aws:PrincipalArn}: never {@code NotPrincipal}, whose
 * meaning with assumed-role sessions surprises people.
 */
public final class QuarantineStatement {
    /** Statement ID ddb-warden writes and looks for. */
    public static final String SID = "DdbWardenQuarantine";
    /** Tag on a quarantined table; its value says why and which event. */
    public static final String TAG_KEY = "ddb-warden:quarantine";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private QuarantineStatement() {
    }

    /** The principals the statement spares, as {@code aws:PrincipalArn} patterns. */
    public static List<String> spared(TableRef table, List<String> securityRoles) {
        String iam = "arn:" + table.partition() + ":iam::" + table.accountId() + ":role/";
        List<String> spared = new ArrayList<>();
        spared.add(iam + "ddb-warden/*");
        spared.add(iam + "aws-service-role/*");
        spared.addAll(securityRoles);
        return spared;
    }

    /** Whether the policy already holds ddb-warden's quarantine statement. */
    public static boolean isIn(String policy) {
        try {
            JsonNode statements = JsonText.read(policy).path("Statement");
            for (JsonNode statement : statements.isArray() ? statements : NODES.arrayNode().add(statements)) {
                if (SID.equals(statement.path("Sid").asText())) {
                    return true;
                }
            }
            return false;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /**
     * The policy with the quarantine statement added, every existing statement kept.
     *
     * @param resources the ARNs the statement denies (the table and its indexes, or the stream)
     * @throws IllegalArgumentException when the existing policy is not a JSON object
     */
    public static String addedTo(Optional<String> existing, List<String> resources, List<String> spared) {
        ObjectNode policy;
        try {
            JsonNode parsed = existing.isPresent() ? JsonText.read(existing.get()) : NODES.objectNode();
            if (!parsed.isObject()) {
                throw new IllegalArgumentException("the existing policy is not a JSON object");
            }
            policy = (ObjectNode) parsed;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the existing policy is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!policy.has("Version")) {
            policy.put("Version", "2012-10-17");
        }
        JsonNode old = policy.get("Statement");
        ArrayNode statements = NODES.arrayNode();
        if (old != null && old.isArray()) {
            statements.addAll((ArrayNode) old);
        } else if (old != null) {
            statements.add(old);
        }
        statements.add(statement(resources, spared));
        policy.set("Statement", statements);
        return JsonText.write(policy);
    }

    private static ObjectNode statement(List<String> resources, List<String> spared) {
        ObjectNode statement = NODES.objectNode();
        statement.put("Sid", SID);
        statement.put("Effect", "Deny");
        statement.put("Principal", "*");
        statement.put("Action", "dynamodb:*");
        resources.forEach(statement.withArray("Resource")::add);
        ArrayNode arns = statement.putObject("Condition").putObject("ArnNotLike").putArray("aws:PrincipalArn");
        spared.forEach(arns::add);
        return statement;
    }
}
