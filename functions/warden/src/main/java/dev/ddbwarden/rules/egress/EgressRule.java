package dev.ddbwarden.rules.egress;

import dev.ddbwarden.backup.BackupApi;
import dev.ddbwarden.backup.Coverage;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.RuleSetting;
import dev.ddbwarden.rules.SharedSettings;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.CallReads;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Copies of a table's data that leave the estate. A table streaming its changes to a Kinesis data stream
 * outside TRUSTED_STREAMS has that streaming stopped (HIGH); DynamoDB streams only to a stream in the table's own
 * account and region (Developer Guide, "Using Kinesis Data Streams to capture changes to DynamoDB"), so the account
 * and the region need no check of their own. An export to a bucket outside ALLOWED_REGIONS (HIGH), in a region S3
 * will not tell (MEDIUM), or without SSE-KMS when REQUIRE_CMK is true (MEDIUM), and an import from an untrusted
 * account's bucket (MEDIUM) and an AWS Backup copy of a DynamoDB backup to a vault outside ALLOWED_REGIONS (HIGH), by a
 * copy job or by a plan's copy actions ({@link BackupCopies}), are reported: a copy made cannot be taken back. The export to an untrusted account's
 * bucket stays the public-access rule's (its alert and its mode are unchanged); this rule adds where the bucket is.
 */
public final class EgressRule implements Rule {
    public static final String RULE = "egress";
    static final String ENABLE = "EnableKinesisStreamingDestination";
    static final String UPDATE = "UpdateKinesisStreamingDestination";
    private static final String IMPORT = "ImportTable";
    private static final List<Trigger> TRIGGERS = List.of(Trigger.on(ENABLE), Trigger.on(UPDATE),
            Trigger.on(BucketRegions.EXPORT), Trigger.on(IMPORT), Trigger.from(Trigger.BACKUP, Copies.START_COPY_JOB),
            Trigger.from(Trigger.BACKUP, BackupReads.CREATE_PLAN), Trigger.from(Trigger.BACKUP, BackupReads.UPDATE_PLAN),
            Trigger.from(Trigger.BACKUP, BackupReads.CREATE_SELECTION));
    /** The Kinesis data streams tables may stream to: ARNs or globs; empty trusts every stream DynamoDB accepts. */
    static final RuleSetting<TrustedStreams> TRUSTED_STREAMS = new RuleSetting<>(TrustedStreams.SETTING,
            TrustedStreams::parse, TrustedStreams.none());

    private final BucketRegions bucketRegions;
    private final BackupReads backupReads;

    public EgressRule() {
        this(new BucketRegions(), BackupApi::in);
    }

    EgressRule(BucketRegions bucketRegions) {
        this(bucketRegions, BackupApi::in);
    }

    /** @param backups the AWS Backup client of an account and region (tests: a mock) */
    EgressRule(BucketRegions bucketRegions, BiFunction<String, String, BackupApi> backups) {
        this.bucketRegions = bucketRegions;
        this.backupReads = new BackupReads(backups);
    }

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "EgressFunction";
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    @Override
    public List<RuleSetting<?>> settings() {
        return List.of(TRUSTED_STREAMS, SharedSettings.REQUIRE_CMK);
    }

    @Override
    public Set<String> tableActions() {
        return TableReader.actionsWith("dynamodb:DescribeKinesisStreamingDestination", "dynamodb:DisableKinesisStreamingDestination");
    }

    /**
     * What DescribeKinesisStreamingDestination needs on the streams besides its own action (DynamoDB Developer Guide,
     * "Using IAM policies for Amazon Kinesis Data Streams and Amazon DynamoDB"). HeadBucket is made without
     * s3:ListBucket on purpose: S3 sends the bucket's region whatever the caller may do, and the grant would let this
     * function list the keys of every bucket in the account.
     */
    @Override
    public Set<String> otherActions() {
        return Set.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "backup:DescribeRecoveryPoint",
                "backup:GetBackupPlan", "backup:ListBackupSelections", "backup:GetBackupSelection");
    }

    @Override
    public List<Augment<?>> augments() {
        return List.of(new KinesisDestinationsAugment());
    }

    @Override
    public List<CallAugment<?>> callAugments() {
        return List.of(bucketRegions, backupReads.source(), backupReads.plans());
    }

    @Override
    public Class<EgressRemedy> remedies() {
        return EgressRemedy.class;
    }

    @Override
    public List<Fix<?>> fixes(FixContext context) {
        return List.<Fix<?>>of(new StopStreamingFix(context.dynamo()));
    }

    /** Where a table's data may go is the business's to decide for every table, exempt or not. */
    @Override
    public boolean honoursExemptions() {
        return false;
    }

    /**
     * A copy job is about the table its recovery point was taken of, when the recovery point's ARN names it (a
     * DynamoDB backup, {@code arn:aws:dynamodb:...:table/NAME/backup/ID}); an AWS Backup recovery point
     * ({@code arn:aws:backup:...:recovery-point:ID}) names no table: AWS Backup is asked what it was taken of, and the
     * copy is decided on the recovery point ({@link #evaluateResource(ApiCall, CallReads, Settings)}).
     */
    @Override
    public List<TableRef> subjects(ApiCall call) {
        if (!Copies.START_COPY_JOB.equals(call.eventName())) {
            return Rule.super.subjects(call);
        }
        String recoveryPoint = call.request("recoveryPointArn");
        return recoveryPoint.startsWith("arn:")
                ? TableRef.parse(recoveryPoint, call.region(), call.accountId()).map(List::of).orElse(List.of())
                : List.of();
    }

    /** The record alone: what AWS Backup would say is not known, so a copy counts as DynamoDB's. */
    @Override
    public Optional<ResourceFinding> evaluateResource(ApiCall call, Settings settings) {
        return evaluateResource(call, CallReads.none(), settings);
    }

    /**
     * A copy job of a recovery point made with advanced features, and a plan (or a selection added to it) copying
     * recovery points to a vault outside ALLOWED_REGIONS, decided on what AWS Backup said ({@link BackupReads}).
     */
    @Override
    public Optional<ResourceFinding> evaluateResource(ApiCall call, CallReads reads, Settings settings) {
        return Copies.START_COPY_JOB.equals(call.eventName())
                ? BackupCopies.copyJob(call, reads.get(Coverage.class), settings)
                : BackupCopies.planCopies(call, reads.get(PlanCopies.class), settings);
    }

    /** A destination just enabled is listed (ENABLING) once DescribeKinesisStreamingDestination catches up. */
    @Override
    public boolean isCurrent(ApiCall call, TableState state) {
        if (!ENABLE.equals(call.eventName())) {
            return true;
        }
        Optional<KinesisDestinations> destinations = state.augment(KinesisDestinations.class);
        return destinations.isEmpty() || destinations.get().lists(call.request("streamArn"));
    }

    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings,
                                  Instant now) {
        return switch (call.eventName()) {
            case BucketRegions.EXPORT -> Copies.export(call, table, state.flatMap(s -> s.augment(ExportBucket.class)), settings);
            case IMPORT -> Copies.importFrom(call, table, settings);
            case Copies.START_COPY_JOB -> Copies.copyJob(call, table, settings);
            default -> streaming(call, table, state.flatMap(s -> s.augment(KinesisDestinations.class)), settings);
        };
    }

    private static List<Finding> streaming(ApiCall call, TableRef table, Optional<KinesisDestinations> destinations,
                                           Settings settings) {
        TrustedStreams trusted = TRUSTED_STREAMS.in(settings);
        List<String> untrusted = destinations.map(KinesisDestinations::flowing).orElse(List.of()).stream()
                .map(KinesisDestinations.Destination::streamArn).filter(stream -> !trusted.trusts(stream)).toList();
        if (untrusted.isEmpty()) {
            return List.of();
        }
        String how = call.isSweep() ? " (found by the sweep)"
                : " after " + call.eventName() + " by " + call.actor().describe();
        return List.of(new Finding(RULE, Severity.HIGH, table, "streaming to an untrusted Kinesis stream",
                "Table " + table.name() + " streams every change of its items to "
                        + untrusted.stream().map(Excerpt::line).collect(Collectors.joining(", "))
                        + ", not in TRUSTED_STREAMS (" + Excerpt.line(trusted.toString()) + ")" + how
                        + ". Whoever reads that stream reads the table's items as they change, old and new images alike.",
                new EgressRemedy.StopStreaming(untrusted)));
    }
}
