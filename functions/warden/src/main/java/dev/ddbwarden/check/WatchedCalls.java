package dev.ddbwarden.check;

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
    private static final String REDEPLOY = "Redeploy ddb-warden (sam deploy) to put the template's version back";
    private static final String LOOKUP = "aws cloudtrail lookup-events --lookup-attributes"
            + " AttributeKey=EventId,AttributeValue={eventId} shows the request";

    private static final List<WatchedCall> ALL = List.of(
            trail("StopLogging", "logging stopped on CloudTrail trail {name}",
                    "aws cloudtrail start-logging --name {name}"),
            trail("DeleteTrail", "CloudTrail trail {name} deleted",
                    "Create the trail again with management events (or redeploy ddb-warden with CreateTrail=true),"
                            + " then aws cloudtrail start-logging --name {name}"),
            trail("UpdateTrail", "CloudTrail trail {name} changed",
                    LOOKUP + "; set the trail back with aws cloudtrail update-trail --name {name}"
                            + " --is-multi-region-trail --include-global-service-events"),
            trail("PutEventSelectors", "event selectors of CloudTrail trail {name} changed",
                    "aws cloudtrail put-event-selectors --trail-name {name} --event-selectors"
                            + " '[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]'"),
            trail("PutInsightSelectors", "Insights selectors of CloudTrail trail {name} changed",
                    LOOKUP + "; set them back with aws cloudtrail put-insight-selectors --trail-name {name}"),

            rule("DisableRule", "requestParameters.name", "EventBridge rule {name} disabled",
                    "aws events enable-rule --name {name}"),
            rule("DeleteRule", "requestParameters.name", "EventBridge rule {name} deleted",
                    REDEPLOY + "; calls made while it was gone reached no function: review them in CloudTrail"),
            rule("PutRule", "requestParameters.name", "EventBridge rule {name} changed",
                    LOOKUP + "; " + REDEPLOY),
            rule("RemoveTargets", "requestParameters.rule", "targets removed from EventBridge rule {name}",
                    REDEPLOY + "; aws events list-targets-by-rule --rule {name} must list the ddb-warden function"),
            rule("PutTargets", "requestParameters.rule", "targets of EventBridge rule {name} changed",
                    REDEPLOY + "; aws events list-targets-by-rule --rule {name} must list only the ddb-warden function"),

            function("UpdateFunctionConfiguration", "configuration of function {name} changed",
                    LOOKUP + "; " + REDEPLOY + " (environment, role, handler, timeout)"),
            function("UpdateFunctionCode", "code of function {name} replaced",
                    "Redeploy ddb-warden from a trusted build (sam build && sam deploy)"),
            function("PutFunctionConcurrency", "reserved concurrency of function {name} set",
                    "aws lambda delete-function-concurrency --function-name {name} (0 stops every invocation)"),
            function("DeleteFunctionConcurrency", "reserved concurrency of function {name} removed",
                    "aws lambda get-function-concurrency --function-name {name}; " + REDEPLOY),
            function("DeleteFunction", "function {name} deleted",
                    REDEPLOY + "; then re-drive what waited: ./warden replay-failures --queue DEAD_LETTER_QUEUE_URL"),
            function("PutFunctionEventInvokeConfig", "retries and failure destination of function {name} changed",
                    REDEPLOY + " (2 retries, the failure queue on failure)"),
            function("UpdateFunctionEventInvokeConfig", "retries and failure destination of function {name} changed",
                    REDEPLOY + " (2 retries, the failure queue on failure)"),
            function("DeleteFunctionEventInvokeConfig", "retries and failure destination of function {name} removed",
                    REDEPLOY + " (2 retries, the failure queue on failure)"),
            function("UpdateEventSourceMapping", "an event source mapping of function {name} changed",
                    "aws lambda list-event-source-mappings --function-name {name} (the re-check queue's must be"
                            + " Enabled); aws lambda update-event-source-mapping --uuid UUID --enabled, or redeploy"),
            function("DeleteEventSourceMapping", "an event source mapping of function {name} deleted",
                    REDEPLOY + " (the re-check queue's mapping)"),
            function("RemovePermission", "a permission removed from function {name}",
                    REDEPLOY + "; aws lambda get-policy --function-name {name} must let events.amazonaws.com invoke it"),

            topic("DeleteTopic", "alert topic {name} deleted",
                    REDEPLOY + ", then subscribe the team again; alerts sent meanwhile failed and wait in the failure"
                            + " queue (this one too, if it came through the topic at all)"),
            topic("Subscribe", "new subscription to alert topic {name}",
                    "aws sns list-subscriptions-by-topic --topic-arn {arn}; remove one you do not know with aws sns"
                            + " unsubscribe --subscription-arn ARN"),
            topic("Unsubscribe", "a subscription to alert topic {name} removed",
                    "Subscribe the team again: aws sns subscribe --topic-arn {arn} --protocol PROTOCOL"
                            + " --notification-endpoint ENDPOINT"),
            topic("SetTopicAttributes", "attributes of alert topic {name} changed",
                    LOOKUP + "; " + REDEPLOY + " (Policy, KmsMasterKeyId)"),
            topic("SetSubscriptionAttributes", "a subscription to alert topic {name} changed",
                    "aws sns get-subscription-attributes --subscription-arn {resource} (FilterPolicy must not drop"
                            + " alerts); set it back with aws sns set-subscription-attributes"),
            topic("RemovePermission", "a permission removed from alert topic {name}",
                    REDEPLOY + " (CloudWatch alarms and EventBridge publish through the topic policy)"),
            topic("AddPermission", "a permission added to alert topic {name}",
                    "aws sns get-topic-attributes --topic-arn {arn} --query Attributes.Policy; remove it with aws sns"
                            + " remove-permission --topic-arn {arn} --label LABEL"),

            role("PutRolePolicy", "an inline policy written on role {name}",
                    "aws iam list-role-policies --role-name {name}; delete one the template does not define with"
                            + " aws iam delete-role-policy --role-name {name} --policy-name NAME, or redeploy"),
            role("AttachRolePolicy", "a managed policy attached to role {name}",
                    "aws iam list-attached-role-policies --role-name {name}; ddb-warden's roles have none: aws iam"
                            + " detach-role-policy --role-name {name} --policy-arn ARN"),
            role("DetachRolePolicy", "a managed policy detached from role {name}",
                    LOOKUP + "; " + REDEPLOY),
            role("DeleteRolePolicy", "an inline policy of role {name} deleted",
                    REDEPLOY + " (it restores the function's grants)"),
            role("UpdateAssumeRolePolicy", "the trust policy of role {name} changed",
                    REDEPLOY + "; only lambda.amazonaws.com may assume the role (aws iam get-role --role-name {name})"),
            role("PutRolePermissionsBoundary", "a permissions boundary set on role {name}",
                    "aws iam delete-role-permissions-boundary --role-name {name}, unless your organisation requires it"),
            role("DeleteRolePermissionsBoundary", "the permissions boundary of role {name} removed",
                    LOOKUP + "; put it back with aws iam put-role-permissions-boundary --role-name {name}"
                            + " --permissions-boundary ARN"),
            role("DeleteRole", "role {name} deleted", REDEPLOY),
            role("UpdateRole", "role {name} changed", LOOKUP + "; " + REDEPLOY),

            ledger("DeleteTable", "requestParameters.tableName", null, "ledger table {name} deleted",
                    "Restore it from the system backup DynamoDB keeps of a table with point-in-time recovery (aws"
                            + " dynamodb list-backups --table-name {name} --backup-type SYSTEM, then aws dynamodb"
                            + " restore-table-from-backup) and point LEDGER_TABLE at it"),
            ledger("UpdateTable", "requestParameters.tableName",
                    new WatchedCall.Condition("deletionProtectionEnabled", false),
                    "deletion protection turned off on ledger table {name}",
                    "aws dynamodb update-table --table-name {name} --deletion-protection-enabled"),
            ledger("UpdateTimeToLive", "requestParameters.tableName",
                    new WatchedCall.Condition("timeToLiveSpecification.enabled", true),
                    "time to live turned on for ledger table {name}",
                    "aws dynamodb update-time-to-live --table-name {name} --time-to-live-specification"
                            + " Enabled=false,AttributeName=ATTRIBUTE before items expire"),
            ledger("UpdateContinuousBackups", "requestParameters.tableName",
                    new WatchedCall.Condition("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled", false),
                    "point-in-time recovery turned off for ledger table {name}",
                    "aws dynamodb update-continuous-backups --table-name {name}"
                            + " --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true"),
            ledger("PutResourcePolicy", "requestParameters.resourceArn", null,
                    "a resource policy written on ledger table {name}",
                    "aws dynamodb get-resource-policy --resource-arn {arn}; the ledger needs none: aws dynamodb"
                            + " delete-resource-policy --resource-arn {arn}"),
            ledger("DeleteResourcePolicy", "requestParameters.resourceArn", null,
                    "the resource policy of ledger table {name} deleted",
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

    private static WatchedCall role(String eventName, String what, String undo) {
        return new WatchedCall(IAM, eventName, false, WatchedTarget.ROLE, List.of("requestParameters.roleName"),
                Optional.empty(), what, undo);
    }

    private static WatchedCall ledger(String eventName, String field, WatchedCall.Condition when, String what, String undo) {
        return new WatchedCall(DYNAMODB, eventName, false, WatchedTarget.LEDGER, List.of(field), Optional.ofNullable(when),
                what, undo);
    }
}
