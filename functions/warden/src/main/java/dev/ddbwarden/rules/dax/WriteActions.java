package dev.ddbwarden.rules.dax;

import java.util.List;

/**
 * DynamoDB's actions of access level Write in the Service Authorization Reference (list_amazondynamodb), item writes
 * first: the ones a cache writes through with, then the table writes a role that may use them could make. Tagging is
 * an access level of its own and is left out.
 */
final class WriteActions {
    static final List<String> ALL = List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete",
            "dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable", "dynamodb:CreateBackup",
            "dynamodb:DeleteBackup", "dynamodb:RestoreTableFromBackup", "dynamodb:RestoreTableToPointInTime",
            "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTimeToLive", "dynamodb:ImportTable",
            "dynamodb:ExportTableToPointInTime", "dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy",
            "dynamodb:CreateGlobalTable", "dynamodb:UpdateGlobalTable", "dynamodb:UpdateGlobalTableSettings",
            "dynamodb:CreateTableReplica", "dynamodb:DeleteTableReplica", "dynamodb:EnableKinesisStreamingDestination",
            "dynamodb:DisableKinesisStreamingDestination", "dynamodb:UpdateKinesisStreamingDestination",
            "dynamodb:UpdateContributorInsights");

    private WriteActions() {
    }
}
