package dev.ddbwarden.event;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A DynamoDB table: where it lives and what it is called. */
public record TableRef(String partition, String region, String accountId, String name) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    private static final Pattern ARN = Pattern.compile(
            "arn:(aws[a-z-]*):dynamodb:([a-z0-9-]{1,32}):(\\d{12}):table/([a-zA-Z0-9_.-]{3,255})(?:/.*)?");

    public String arn() {
        return "arn:" + partition + ":dynamodb:" + region + ":" + accountId + ":table/" + name;
    }

    /**
     * A table named as DynamoDB accepts it: by name (in the call's region and account) or by ARN,
     * including the ARN of one of its streams, indexes or backups. An ARN in a region that cannot be real
     * names no table: reading it would only fail.
     */
    public static Optional<TableRef> parse(String nameOrArn, String region, String accountId) {
        if (nameOrArn == null) {
            return Optional.empty();
        }
        Matcher arn = ARN.matcher(nameOrArn);
        if (arn.matches()) {
            return RegionNames.isReal(arn.group(2))
                    ? Optional.of(new TableRef(arn.group(1), arn.group(2), arn.group(3), arn.group(4)))
                    : Optional.empty();
        }
        if (NAME.matcher(nameOrArn).matches()) {
            return Optional.of(new TableRef(partitionOf(region), region, accountId, nameOrArn));
        }
        return Optional.empty();
    }

    /** The partition an ARN in {@code region} names: a record names the region, never the partition. */
    public static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }
}
