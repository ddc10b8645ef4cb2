package dev.ddbwarden.watcher;

import java.util.List;
import java.util.Optional;

/**
 * The calls that blind or disarm ddb-warden, as data (event name, where its record names the resource,
 * what to say): the watcher's whole contract. Placeholders in the texts: {@code {name}} (short name),
 * {@code {arn}} (the watched resource), {@code {resource}} (what the call changed), {@code {stack}},
 * {@code {region}}, {@code {account}}, {@code {eventId}}.
 */
public final class WatchedCalls {
    private static final String CLOUDTRAIL = "cloudtrail.amazonaws.com";
    private static final String EVENTS = "events.amazonaws.com";
    private static final String LAMBDA = "lambda.amazonaws.com";
    private static final String SNS = "sns.amazonaws.com";
    private static final String IAM = "iam.amazonaws.com";
    private static final String DYNAMODB = "dynamodb.amazonaws.com";
    private static final String SQS = "sqs.amazonaws.com";
    private static final String KMS = "kms.amazonaws.com";
    private static final String SCHEDULER = "scheduler.amazonaws.com";
    private static final String STATES = "states.amazonaws.com";
    private static final String SSM = "ssm.amazonaws.com";
    /** A redeploy of an unchanged template does not rewrite the parameter: its history holds what the deployer wrote. */
    private static final String SETTINGS_BACK = "aws ssm get-parameter-history --name {name} lists each version and who"
            + " wrote it; put back the last one your deployment role wrote with aws ssm put-parameter --name {name}"
            + " --type String --overwrite --value \"$(aws ssm get-parameter --name {name}:VERSION --query"
            + " Parameter.Value --output text)\"";
    /** Until the deleted settings parameter is back, a function that starts fails; running ones keep their settings. */
    private static final String RECREATE_SETTINGS = "Create it again as your last deployment wrote it (one KEY=value line"
            + " per setting, from the stack's Parameters): aws ssm put-parameter --name {name} --type String --tier"
            + " Intelligent-Tiering --value VALUE. Until then a function that starts fails its start; running ones keep"
            + " the settings they read last";
    private static final String REDEPLOY = "Redeploy ddb-warden (sam deploy) to put the template's version back";
    private static final String LOOKUP = "aws cloudtrail lookup-events --lookup-attributes"
            + " AttributeKey=EventId,AttributeValue={eventId} shows the request";

    private static final List<WatchedCall> ALL = List.of(
            trail("StopLogging", "trail {name} stopped logging",
                    "aws cloudtrail start-logging --name {name}"),
            trail("DeleteTrail", "trail {name} deleted",
                    "Create the trail again with management events (or redeploy ddb-warden with CreateTrail=true),"
                            + " then aws cloudtrail start-logging --name {name}"),
            trail("UpdateTrail", "trail {name} changed",
                    LOOKUP + "; set the trail back with aws cloudtrail update-trail --name {name}"
                            + " --is-multi-region-trail --include-global-service-events"),
            trail("PutEventSelectors", "trail {name} event selectors changed",
                    "aws cloudtrail put-event-selectors --trail-name {name} --event-selectors"
                            + " '[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]'"),
            trail("PutInsightSelectors", "trail {name} Insights selectors changed",
                    LOOKUP + "; set them back with aws cloudtrail put-insight-selectors --trail-name {name}"),

            rule("DisableRule", "requestParameters.name", "rule {name} disabled",
                    "aws events enable-rule --name {name}"),
            rule("DeleteRule", "requestParameters.name", "rule {name} deleted",
                    REDEPLOY + "; calls made while it was gone reached no function: review them in CloudTrail"),
            rule("PutRule", "requestParameters.name", "rule {name} changed",
                    LOOKUP + "; " + REDEPLOY),
            rule("RemoveTargets", "requestParameters.rule", "rule {name} targets removed",
                    REDEPLOY + "; aws events list-targets-by-rule --rule {name} must list the ddb-warden function"),
            rule("PutTargets", "requestParameters.rule", "rule {name} targets changed",
                    REDEPLOY + "; aws events list-targets-by-rule --rule {name} must list only the ddb-warden function"),

            function("UpdateFunctionConfiguration", "function {name} reconfigured",
                    LOOKUP + "; " + REDEPLOY + " (environment, role, handler, timeout)"),
            function("UpdateFunctionCode", "function {name} code replaced",
                    "Redeploy ddb-warden from a trusted build (sam build && sam deploy)"),
            function("PutFunctionConcurrency", "function {name} concurrency reserved",
                    "aws lambda delete-function-concurrency --function-name {name} (0 stops every invocation)"),
            function("DeleteFunctionConcurrency", "function {name} reserved concurrency removed",
                    "aws lambda get-function-concurrency --function-name {name}; " + REDEPLOY),
            function("DeleteFunction", "function {name} deleted",
                    REDEPLOY + "; then re-drive what waited: ./warden replay-failures --queue DEAD_LETTER_QUEUE_URL"),
            function("PutFunctionEventInvokeConfig", "function {name} retries or failure destination changed",
                    REDEPLOY + " (2 retries, the failure queue on failure)"),
            function("UpdateFunctionEventInvokeConfig", "function {name} retries or failure destination changed",
                    REDEPLOY + " (2 retries, the failure queue on failure)"),
            function("DeleteFunctionEventInvokeConfig", "function {name} retries and failure destination removed",
                    REDEPLOY + " (2 retries, the failure queue on failure)"),
            function("UpdateEventSourceMapping", "function {name} event source mapping changed",
                    "aws lambda list-event-source-mappings --function-name {name} (the re-check queue's must be"
                            + " Enabled); aws lambda update-event-source-mapping --uuid UUID --enabled, or redeploy"),
            function("DeleteEventSourceMapping", "function {name} event source mapping deleted",
                    REDEPLOY + " (the re-check queue's mapping)"),
            function("RemovePermission", "function {name} permission removed",
                    REDEPLOY + "; aws lambda get-policy --function-name {name}:live must let events.amazonaws.com"
                            + " invoke it"),
            function("UpdateAlias", "function {name} alias changed",
                    "aws lambda get-alias --function-name {name} --name live (FunctionVersion, RoutingConfig) must"
                            + " name only the version your last deployment published; set it back with aws lambda"
                            + " update-alias --function-name {name} --name live --function-version VERSION"
                            + " --routing-config AdditionalVersionWeights={} (a redeploy does not, while the template"
                            + " is unchanged)"),
            function("DeleteAlias", "function {name} alias deleted",
                    "Every rule and re-check queue invokes the alias live: aws lambda create-alias --function-name"
                            + " {name} --name live --function-version VERSION (your last deployment's), then re-drive"
                            + " what failed meanwhile: ./warden replay-failures --queue DEAD_LETTER_QUEUE_URL"),
            function("PublishVersion", "function {name} version published",
                    LOOKUP + "; a version runs only behind an alias: aws lambda get-alias --function-name {name}"
                            + " --name live must not name it unless your deployment published it"),

            topic("DeleteTopic", "alert topic {name} deleted",
                    REDEPLOY + ", then subscribe the team again; alerts sent meanwhile failed and wait in the failure"
                            + " queue (this one too, if it came through the topic at all)"),
            topic("Subscribe", "alert topic {name} subscribed to",
                    "aws sns list-subscriptions-by-topic --topic-arn {arn}; remove one you do not know with aws sns"
                            + " unsubscribe --subscription-arn ARN"),
            topic("Unsubscribe", "alert topic {name} subscription removed",
                    "Subscribe the team again: aws sns subscribe --topic-arn {arn} --protocol PROTOCOL"
                            + " --notification-endpoint ENDPOINT"),
            topic("SetTopicAttributes", "alert topic {name} attributes changed",
                    LOOKUP + "; " + REDEPLOY + " (Policy, KmsMasterKeyId)"),
            topic("SetSubscriptionAttributes", "alert topic {name} subscription changed",
                    "aws sns get-subscription-attributes --subscription-arn {resource} (FilterPolicy must not drop"
                            + " alerts); set it back with aws sns set-subscription-attributes"),
            topic("RemovePermission", "alert topic {name} permission removed",
                    REDEPLOY + " (CloudWatch alarms and EventBridge publish through the topic policy)"),
            topic("AddPermission", "alert topic {name} permission added",
                    "aws sns get-topic-attributes --topic-arn {arn} --query Attributes.Policy; remove it with aws sns"
                            + " remove-permission --topic-arn {arn} --label LABEL"),
            new WatchedCall(SNS, "PutDataProtectionPolicy", false, WatchedTarget.TOPIC,
                    List.of("requestParameters.resourceArn"), Optional.empty(),
                    "alert topic {name} data protection policy written",
                    "aws sns get-data-protection-policy --resource-arn {arn}; ddb-warden's topic has none, and one"
                            + " that denies or masks data its alerts carry (IP addresses, names) drops or blanks them:"
                            + " " + REDEPLOY),

            queue("DeleteQueue", "queue {name} deleted",
                    REDEPLOY + "; what it held is gone: review ddb-warden's failed and undelivered events in"
                            + " CloudTrail"),
            queue("PurgeQueue", "queue {name} purged",
                    "Purged messages cannot be brought back: review in CloudTrail the DynamoDB calls of the last"
                            + " 14 days that the ledger does not list as handled"),
            queue("SetQueueAttributes", "queue {name} attributes changed",
                    LOOKUP + "; " + REDEPLOY + " (Policy, MessageRetentionPeriod, RedrivePolicy, DelaySeconds)"),
            queue("RemovePermission", "queue {name} permission removed",
                    REDEPLOY + " (EventBridge sends undeliverable events through the queue policy)"),
            queue("AddPermission", "queue {name} permission added",
                    "aws sqs get-queue-attributes --queue-url URL --attribute-names Policy; remove it with aws sqs"
                            + " remove-permission --queue-url URL --label LABEL"),
            consumer("CreateEventSourceMapping", "queue {name} event source mapping created",
                    "aws lambda list-event-source-mappings --event-source-arn {arn}: a consumer that is not"
                            + " ddb-warden's takes its re-checks; aws lambda delete-event-source-mapping --uuid UUID"),
            consumer("UpdateEventSourceMapping", "queue {name} event source mapping changed",
                    "aws lambda list-event-source-mappings --event-source-arn {arn} must list only ddb-warden's"
                            + " function, Enabled; " + REDEPLOY),
            consumer("DeleteEventSourceMapping", "queue {name} event source mapping deleted",
                    REDEPLOY + " (the re-check queue's mapping to its function's alias live)"),

            key("DisableKey", "alert key {name} disabled", "aws kms enable-key --key-id {arn}"),
            key("ScheduleKeyDeletion", "alert key {name} scheduled for deletion",
                    "aws kms cancel-key-deletion --key-id {arn}, then aws kms enable-key --key-id {arn} (a cancelled"
                            + " deletion leaves the key disabled)"),
            key("PutKeyPolicy", "alert key {name} policy replaced",
                    LOOKUP + "; put template.yaml's AlertKey policy back with aws kms put-key-policy --key-id {arn}"
                            + " --policy-name default --policy file://POLICY"),

            parameter("PutParameter", "requestParameters.name", "settings parameter {name} written", SETTINGS_BACK),
            parameter("DeleteParameter", "requestParameters.name", "settings parameter {name} deleted",
                    RECREATE_SETTINGS),
            parameter("DeleteParameters", "requestParameters.names[]", "settings parameter {name} deleted",
                    RECREATE_SETTINGS),
            parameter("LabelParameterVersion", "requestParameters.name", "settings parameter {name} version labelled",
                    LOOKUP + "; the functions read the latest version, never a label, so a label is a step towards"
                            + " something else: aws ssm unlabel-parameter-version --name {name} --parameter-version"
                            + " VERSION --labels LABEL"),
            parameter("UnlabelParameterVersion", "requestParameters.name", "settings parameter {name} label removed",
                    LOOKUP + "; aws ssm get-parameter-history --name {name} shows the labels left"),
            parameter("AddTagsToResource", "requestParameters.resourceId", "settings parameter {name} tagged",
                    "aws ssm list-tags-for-resource --resource-type Parameter --resource-id {name}; a tag can open it"
                            + " to a policy that grants by tag: aws ssm remove-tags-from-resource --resource-type"
                            + " Parameter --resource-id {name} --tag-keys KEY"),
            parameter("RemoveTagsFromResource", "requestParameters.resourceId", "settings parameter {name} tags removed",
                    LOOKUP + "; put them back with aws ssm add-tags-to-resource --resource-type Parameter --resource-id"
                            + " {name} --tags Key=KEY,Value=VALUE"),

            schedule("UpdateSchedule", "sweep schedule {name} changed",
                    LOOKUP + "; put the template's state (ENABLED), expression and target back with aws scheduler"
                            + " update-schedule --name {name}"),
            schedule("DeleteSchedule", "sweep schedule {name} deleted",
                    "Create it again with the template's expression and target (aws scheduler create-schedule --name"
                            + " {name}), then sweep once: aws stepfunctions start-execution --state-machine-arn ARN"),
            sweep("UpdateStateMachine", "sweep state machine {name} changed",
                    LOOKUP + "; put template.yaml's definition back with aws stepfunctions update-state-machine"
                            + " --state-machine-arn {arn} --definition file://DEFINITION"),
            sweep("DeleteStateMachine", "sweep state machine {name} deleted",
                    REDEPLOY + "; until then every scheduled sweep fails"),

            role("PutRolePolicy", "role {name} inline policy written",
                    "aws iam list-role-policies --role-name {name}; delete one the template does not define with"
                            + " aws iam delete-role-policy --role-name {name} --policy-name NAME, or redeploy"),
            role("AttachRolePolicy", "role {name} managed policy attached",
                    "aws iam list-attached-role-policies --role-name {name}; ddb-warden's roles have none: aws iam"
                            + " detach-role-policy --role-name {name} --policy-arn ARN"),
            role("DetachRolePolicy", "role {name} managed policy detached",
                    LOOKUP + "; " + REDEPLOY),
            role("DeleteRolePolicy", "role {name} inline policy deleted",
                    REDEPLOY + " (it restores the function's grants)"),
            role("UpdateAssumeRolePolicy", "role {name} trust policy changed",
                    REDEPLOY + "; only lambda.amazonaws.com may assume the role (aws iam get-role --role-name {name})"),
            role("PutRolePermissionsBoundary", "role {name} permissions boundary set",
                    "aws iam delete-role-permissions-boundary --role-name {name}, unless your organisation requires it"),
            role("DeleteRolePermissionsBoundary", "role {name} permissions boundary removed",
                    LOOKUP + "; put it back with aws iam put-role-permissions-boundary --role-name {name}"
                            + " --permissions-boundary ARN"),
            role("DeleteRole", "role {name} deleted", REDEPLOY),
            role("UpdateRole", "role {name} changed", LOOKUP + "; " + REDEPLOY),

            ledger("DeleteTable", "requestParameters.tableName", null, "ledger {name} deleted",
                    "Restore it from the system backup DynamoDB keeps of a table with point-in-time recovery (aws"
                            + " dynamodb list-backups --table-name {name} --backup-type SYSTEM, then aws dynamodb"
                            + " restore-table-from-backup) and point LEDGER_TABLE at it"),
            ledger("UpdateTable", "requestParameters.tableName",
                    new WatchedCall.Condition("deletionProtectionEnabled", false),
                    "ledger {name} deletion protection off",
                    "aws dynamodb update-table --table-name {name} --deletion-protection-enabled"),
            ledger("UpdateTimeToLive", "requestParameters.tableName",
                    new WatchedCall.Condition("timeToLiveSpecification.enabled", true),
                    "ledger {name} time to live on",
                    "aws dynamodb update-time-to-live --table-name {name} --time-to-live-specification"
                            + " Enabled=false,AttributeName=ATTRIBUTE before items expire"),
            ledger("UpdateContinuousBackups", "requestParameters.tableName",
                    new WatchedCall.Condition("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled", false),
                    "ledger {name} point-in-time recovery off",
                    "aws dynamodb update-continuous-backups --table-name {name}"
                            + " --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true"),
            ledger("PutResourcePolicy", "requestParameters.resourceArn", null,
                    "ledger {name} resource policy written",
                    "aws dynamodb get-resource-policy --resource-arn {arn}; the ledger needs none: aws dynamodb"
                            + " delete-resource-policy --resource-arn {arn}"),
            ledger("DeleteResourcePolicy", "requestParameters.resourceArn", null,
                    "ledger {name} resource policy deleted",
                    LOOKUP + "; put back a policy you had set with aws dynamodb put-resource-policy"));

    private WatchedCalls() {
    }

    /** Every watched call, in the order the classifier tries them. */
    public static List<WatchedCall> all() {
        return ALL;
    }

    private static WatchedCall trail(String eventName, String what, String undo) {
        return new WatchedCall(CLOUDTRAIL, eventName, false, WatchedTarget.TRAIL,
                List.of("requestParameters.name", "requestParameters.trailName"), Optional.empty(), what, undo);
    }

    private static WatchedCall rule(String eventName, String field, String what, String undo) {
        return new WatchedCall(EVENTS, eventName, false, WatchedTarget.RULE, List.of(field), Optional.empty(), what, undo);
    }

    /** Event source mappings are named by UUID: the function is in the response. */
    private static WatchedCall function(String eventName, String what, String undo) {
        return new WatchedCall(LAMBDA, eventName, true, WatchedTarget.FUNCTION,
                List.of("requestParameters.functionName", "responseElements.functionArn"), Optional.empty(), what, undo);
    }

    /** Subscription calls name the subscription, whose ARN is the topic's and an ID. */
    private static WatchedCall topic(String eventName, String what, String undo) {
        return new WatchedCall(SNS, eventName, false, WatchedTarget.TOPIC,
                List.of("requestParameters.topicArn", "requestParameters.subscriptionArn"), Optional.empty(), what, undo);
    }

    private static WatchedCall queue(String eventName, String what, String undo) {
        return new WatchedCall(SQS, eventName, false, WatchedTarget.QUEUE, List.of("requestParameters.queueUrl"),
                Optional.empty(), what, undo);
    }

    /** A mapping seen from its queue: one moved to another function names no function of ours. */
    private static WatchedCall consumer(String eventName, String what, String undo) {
        return new WatchedCall(LAMBDA, eventName, true, WatchedTarget.QUEUE,
                List.of("requestParameters.eventSourceArn", "responseElements.eventSourceArn"), Optional.empty(), what,
                undo);
    }

    /** These calls take the key's ID or ARN, never an alias. */
    private static WatchedCall key(String eventName, String what, String undo) {
        return new WatchedCall(KMS, eventName, false, WatchedTarget.KEY, List.of("requestParameters.keyId"),
                Optional.empty(), what, undo);
    }

    /** Scheduler's request fields are spelled as its API's (Name, GroupName) in some records: both are read. */
    private static WatchedCall schedule(String eventName, String what, String undo) {
        return new WatchedCall(SCHEDULER, eventName, false, WatchedTarget.SCHEDULE,
                List.of("requestParameters.name", "requestParameters.Name"), Optional.empty(), what, undo);
    }

    /** Parameter Store names a parameter by name, with or without its leading slash, or by ARN. */
    private static WatchedCall parameter(String eventName, String field, String what, String undo) {
        return new WatchedCall(SSM, eventName, false, WatchedTarget.PARAMETER, List.of(field), Optional.empty(), what, undo);
    }

    private static WatchedCall sweep(String eventName, String what, String undo) {
        return new WatchedCall(STATES, eventName, false, WatchedTarget.STATE_MACHINE,
                List.of("requestParameters.stateMachineArn"), Optional.empty(), what, undo);
    }

    private static WatchedCall role(String eventName, String what, String undo) {
        return new WatchedCall(IAM, eventName, false, WatchedTarget.ROLE, List.of("requestParameters.roleName"),
                Optional.empty(), what, undo);
    }

    private static WatchedCall ledger(String eventName, String field, WatchedCall.Condition when, String what, String undo) {
        return new WatchedCall(DYNAMODB, eventName, false, WatchedTarget.LEDGER, List.of(field), Optional.ofNullable(when),
                what, undo);
    }
}
