package dev.ddbwarden.backup;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What AWS Backup says a recovery point, a vault or a plan holds or covers of DynamoDB: tables, nothing of
 * DynamoDB's, or no answer. A rule alerts on the first, stays quiet on the second, and fails closed on the third,
 * saying why.
 */
public sealed interface Coverage {

    /** DynamoDB tables are held or covered: their ARNs, or a selection's pattern ({@code *} for every resource). */
    record Tables(List<String> tables) implements Coverage {
        public Tables {
            tables = List.copyOf(tables);
        }
    }

    /** Nothing of DynamoDB's: what it is instead, for the log. */
    record NotDynamoDb(String what) implements Coverage {
    }

    /** AWS Backup did not tell (a refusal, an error, a selection by tags or conditions): why. */
    record Unknown(String why) implements Coverage {
    }

    /**
     * What a plan's selections cover of DynamoDB. A resource ARN of DynamoDB, {@code *}, or an ARN whose service is a
     * wildcard covers tables (NotResources are not subtracted: a pattern there cannot be matched against tables
     * without listing them, and leaving a table out wrongly would relax the check). A selection by tags or conditions
     * picks resources only AWS Backup resolves, so it is unknown unless another selection names tables already.
     */
    static Coverage ofSelections(String planId, List<BackupApi.Selection> selections) {
        Set<String> tables = new LinkedHashSet<>();
        List<String> byTags = new ArrayList<>();
        for (BackupApi.Selection selection : selections) {
            selection.resources().stream().filter(Coverage::mayBeDynamoDb).forEach(tables::add);
            if (selection.byTagsOrConditions()) {
                byTags.add(selection.name().isEmpty() ? selection.selectionId() : selection.name());
            }
        }
        if (!tables.isEmpty()) {
            return new Tables(List.copyOf(tables));
        }
        if (!byTags.isEmpty()) {
            return new Unknown("selection(s) " + String.join(", ", byTags) + " of plan " + planId + " pick resources by tags"
                    + " or conditions, which AWS Backup alone resolves: they may include DynamoDB tables");
        }
        return new NotDynamoDb(selections.isEmpty() ? "plan " + planId + " has no selection: it backs nothing up"
                : "the selections of plan " + planId + " name no DynamoDB resource");
    }

    private static boolean mayBeDynamoDb(String resource) {
        if ("*".equals(resource)) {
            return true;
        }
        String[] fields = resource.split(":", 4);
        return fields.length >= 3 && (fields[2].equals("dynamodb") || fields[2].contains("*"));
    }
}
