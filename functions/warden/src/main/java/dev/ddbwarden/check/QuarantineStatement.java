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
import java.util.regex.Pattern;

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
    /** What the statement may spare: roles of one account, by name or pattern. */
    private static final Pattern ROLE_PATTERN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[^*].*");

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

    /**
     * Whether the policy holds ddb-warden's quarantine statement: its Sid on a statement that denies every
     * DynamoDB action to everyone but role patterns. Anyone allowed PutResourcePolicy can write the Sid; a
     * statement under it that denies less is not a quarantine.
     */
    public static boolean isIn(String policy) {
        try {
            for (JsonNode statement : statements(JsonText.read(policy))) {
                if (SID.equals(statement.path("Sid").asText()) && quarantines(statement)) {
                    return true;
                }
            }
            return false;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static boolean quarantines(JsonNode statement) {
        JsonNode principal = statement.path("Principal");
        boolean everyone = "*".equals(principal.asText()) || "*".equals(principal.path("AWS").asText());
        boolean everyAction = false;
        for (JsonNode action : list(statement.path("Action"))) {
            everyAction |= "dynamodb:*".equals(action.asText());
        }
        JsonNode condition = statement.path("Condition");
        boolean sparesRolesOnly = condition.isMissingNode()
                || condition.size() == 1 && condition.path("ArnNotLike").size() == 1 && sparesRoles(condition);
        return "Deny".equals(statement.path("Effect").asText()) && everyone && everyAction && sparesRolesOnly;
    }

    /** Every value of the condition is a role pattern; a bare wildcard would spare everyone. */
    private static boolean sparesRoles(JsonNode condition) {
        for (JsonNode arn : list(condition.path("ArnNotLike").path("aws:PrincipalArn"))) {
            if (!arn.isTextual() || !ROLE_PATTERN.matcher(arn.asText()).matches()) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode statements(JsonNode policy) {
        return list(policy.path("Statement"));
    }

    /** A policy element that may be one value or a list of them, as a list. */
    private static JsonNode list(JsonNode element) {
        return element.isArray() ? element : NODES.arrayNode().add(element);
    }

    /**
     * The policy with the quarantine statement added, every existing statement kept but one that took the
     * quarantine statement's Sid (Sids are unique in a policy, and that one is ddb-warden's).
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
        if (old != null) {
            for (JsonNode statement : list(old)) {
                if (!SID.equals(statement.path("Sid").asText())) {
                    statements.add(statement);
                }
            }
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
