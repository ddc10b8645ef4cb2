package dev.ddbwarden.rules.pointintimerecovery;

import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.Augment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsDescription;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryDescription;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableNotFoundException;

import java.util.Optional;
import java.util.Set;

/** DescribeContinuousBackups: the one read this rule makes beyond the shared table state, and only this rule. */
final class ContinuousBackupsAugment implements Augment<PointInTimeRecoveryRule.Pitr> {

    @Override
    public Class<PointInTimeRecoveryRule.Pitr> type() {
        return PointInTimeRecoveryRule.Pitr.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:DescribeContinuousBackups");
    }

    @Override
    public Optional<PointInTimeRecoveryRule.Pitr> read(DynamoDbClient dynamo, TableRef table) {
        try {
            return Optional.of(pitr(dynamo.describeContinuousBackups(r -> r.tableName(table.arn()))
                    .continuousBackupsDescription()));
        } catch (TableNotFoundException | ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** A description (DescribeContinuousBackups', or UpdateContinuousBackups' answer) as the check reads it. */
    static PointInTimeRecoveryRule.Pitr pitr(ContinuousBackupsDescription description) {
        PointInTimeRecoveryDescription pitr = description == null ? null : description.pointInTimeRecoveryDescription();
        if (pitr == null || pitr.pointInTimeRecoveryStatus() != PointInTimeRecoveryStatus.ENABLED) {
            return PointInTimeRecoveryRule.Pitr.off();
        }
        // Absent only from an answer older than configurable periods, which meant DynamoDB's fixed 35 days.
        int days = pitr.recoveryPeriodInDays() == null ? PointInTimeRecoveryRule.LONGEST_PERIOD_DAYS : pitr.recoveryPeriodInDays();
        return new PointInTimeRecoveryRule.Pitr(true, days, Optional.ofNullable(pitr.earliestRestorableDateTime()));
    }
}
