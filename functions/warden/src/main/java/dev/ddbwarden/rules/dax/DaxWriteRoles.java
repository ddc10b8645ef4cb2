package dev.ddbwarden.rules.dax;

import dev.ddbwarden.config.ConfigException;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The service roles of write-through caches, as DAX_WRITE_ROLES lists them (DaxWriteRoles): role ARNs whose DynamoDB
 * writes are meant. Exact ARNs only: a glob would let whoever names a role after it escape the check.
 */
record DaxWriteRoles(List<String> arns) {
    static final String SETTING = "DAX_WRITE_ROLES";
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    DaxWriteRoles {
        arns = List.copyOf(arns);
    }

    static DaxWriteRoles parse(String raw) {
        List<String> entries = Arrays.stream(raw.split(",")).map(String::strip).filter(e -> !e.isEmpty()).toList();
        for (String entry : entries) {
            if (!ROLE_ARN.matcher(entry).matches()) {
                throw new ConfigException(SETTING, "'" + entry + "' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
            }
        }
        return new DaxWriteRoles(entries);
    }

    static DaxWriteRoles none() {
        return new DaxWriteRoles(List.of());
    }

    boolean allows(String roleArn) {
        return arns.contains(roleArn);
    }
}
