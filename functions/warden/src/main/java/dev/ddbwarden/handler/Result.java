package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;

/**
 * What one invocation did about one table, returned to the caller as JSON and counted in metrics.
 *
 * @param table  the table's ARN, or for a call about no table the other resource's ({@code ResourceFinding})
 * @param action a {@link dev.ddbwarden.fix.Outcome.Action} name, or what happened instead of a fix
 * @param alert  {@code sent}, {@code none}, or what kept it from being sent
 */
public record Result(String rule, String table, String severity, String action, String alert) {

    public static Result skipped(String rule, String table, String why) {
        return new Result(rule, table, "", why, "none");
    }

    /**
     * Adds each result to {@code array} as an object of its fields, in their order here. Written field by field:
     * Jackson's conversion of records into a tree (valueToTree) was 4% of a warm invocation's own CPU.
     */
    public static ArrayNode addAll(ArrayNode array, List<Result> results) {
        for (Result result : results) {
            array.addObject()
                    .put("rule", result.rule)
                    .put("table", result.table)
                    .put("severity", result.severity)
                    .put("action", result.action)
                    .put("alert", result.alert);
        }
        return array;
    }
}
