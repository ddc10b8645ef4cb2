package dev.ddbwarden.policy;

/**
 * One statement as written and what it exposes.
 *
 * @param index         position in the policy's Statement list (0 for a lone statement object)
 * @param statementJson the statement's JSON text exactly as it appears in the policy
 * @param reason        the cause, in a short sentence for the alert
 */
public record StatementVerdict(int index, String statementJson, Exposure exposure, String reason) {
}
