package dev.ddbwarden.rules.iamusers;

import java.util.List;

/**
 * The actions of DynamoDB (list_amazondynamodb) and DAX (list_amazondynamodbaccelerator) in the Service Authorization
 * Reference: what a policy granted to a user or group is judged against, so a grant is named by the actions it allows,
 * whatever wildcards it was written with.
 */
final class DataActions {
    static final List<String> ALL = List.of(
            "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:CreateBackup",
            "dynamodb:CreateGlobalTable", "dynamodb:CreateTable", "dynamodb:CreateTableReplica", "dynamodb:DeleteBackup",
            "dynamodb:DeleteItem", "dynamodb:DeleteResourcePolicy", "dynamodb:DeleteTable", "dynamodb:DeleteTableReplica",
            "dynamodb:DescribeBackup", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeContributorInsights",
            "dynamodb:DescribeEndpoints", "dynamodb:DescribeExport", "dynamodb:DescribeGlobalTable",
            "dynamodb:DescribeGlobalTableSettings", "dynamodb:DescribeImport", "dynamodb:DescribeKinesisStreamingDestination",
            "dynamodb:DescribeLimits", "dynamodb:DescribeReservedCapacity", "dynamodb:DescribeReservedCapacityOfferings",
            "dynamodb:DescribeStream", "dynamodb:DescribeTable", "dynamodb:DescribeTableReplicaAutoScaling",
            "dynamodb:DescribeTimeToLive", "dynamodb:DisableKinesisStreamingDestination",
            "dynamodb:EnableKinesisStreamingDestination", "dynamodb:ExportTableToPointInTime", "dynamodb:GetItem",
            "dynamodb:GetRecords", "dynamodb:GetResourcePolicy", "dynamodb:GetShardIterator", "dynamodb:ImportTable",
            "dynamodb:ListBackups", "dynamodb:ListContributorInsights", "dynamodb:ListExports", "dynamodb:ListGlobalTables",
            "dynamodb:ListImports", "dynamodb:ListStreams", "dynamodb:ListTables", "dynamodb:ListTagsOfResource",
            "dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate",
            "dynamodb:PurchaseReservedCapacityOfferings", "dynamodb:PutItem", "dynamodb:PutResourcePolicy", "dynamodb:Query",
            "dynamodb:RestoreTableFromAwsBackup", "dynamodb:RestoreTableFromBackup", "dynamodb:RestoreTableToPointInTime",
            "dynamodb:Scan", "dynamodb:StartAwsBackupJob", "dynamodb:TagResource", "dynamodb:UntagResource",
            "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateContributorInsights", "dynamodb:UpdateGlobalTable",
            "dynamodb:UpdateGlobalTableSettings", "dynamodb:UpdateGlobalTableVersion", "dynamodb:UpdateItem",
            "dynamodb:UpdateKinesisStreamingDestination", "dynamodb:UpdateTable", "dynamodb:UpdateTableReplicaAutoScaling",
            "dynamodb:UpdateTimeToLive",
            "dax:BatchGetItem", "dax:BatchWriteItem", "dax:ConditionCheckItem", "dax:CreateCluster", "dax:CreateParameterGroup",
            "dax:CreateSubnetGroup", "dax:DecreaseReplicationFactor", "dax:DeleteCluster", "dax:DeleteItem",
            "dax:DeleteParameterGroup", "dax:DeleteSubnetGroup", "dax:DescribeClusters", "dax:DescribeDefaultParameters",
            "dax:DescribeEvents", "dax:DescribeParameterGroups", "dax:DescribeParameters", "dax:DescribeSubnetGroups",
            "dax:GetItem", "dax:IncreaseReplicationFactor", "dax:ListTags", "dax:PutItem", "dax:Query", "dax:RebootNode",
            "dax:Scan", "dax:TagResource", "dax:UntagResource", "dax:UpdateCluster", "dax:UpdateItem",
            "dax:UpdateParameterGroup", "dax:UpdateSubnetGroup");

    private DataActions() {
    }
}
