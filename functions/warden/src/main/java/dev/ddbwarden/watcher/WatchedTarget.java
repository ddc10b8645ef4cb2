package dev.ddbwarden.watcher;

import dev.ddbwarden.event.ApiCall;

import java.util.Optional;

/**
 * The kinds of resource the watcher guards: how to tell, from the name or ARN a call gave, whether it
 * is ddb-warden's own, and what to tell people about a change to it. Only trails are watched whoever
 * owns them: ddb-warden sees events only while some trail logs.
 */
public enum WatchedTarget {
    /** Any CloudTrail trail. */
    TRAIL(false,
            "EventBridge receives AWS API calls only while a trail logs management events: without them every"
                    + " ddb-warden rule, and this watcher, is blind, and nothing says so.",
            "aws cloudtrail get-trail-status --name {name} (IsLogging true); aws cloudtrail get-event-selectors"
                    + " --trail-name {name} (management events, ReadWriteType All or WriteOnly)"),
    /** ddb-warden's EventBridge rules, on the default bus. */
    RULE(true,
            "ddb-warden's rules deliver the API calls to its functions: a rule disabled, deleted, changed or left"
                    + " without its target stops remediation without a single error.",
            "aws events describe-rule --name {name} (State ENABLED, the template's pattern); aws events"
                    + " list-targets-by-rule --rule {name} (the ddb-warden function)"),
    /** ddb-warden's Lambda functions. */
    FUNCTION(true,
            "ddb-warden's functions decide and fix: new code or settings can make them fix nothing"
                    + " (REMEDIATION_MODE, EXEMPT_TABLES), a reserved concurrency of 0 or a removed permission stops"
                    + " them, and without the function its events pile up in the dead-letter queue.",
            "aws lambda get-function --function-name {name} (CodeSha256, Configuration) against your last"
                    + " deployment; aws cloudformation detect-stack-drift --stack-name {stack}"),
    /** The alert topic and its subscriptions. */
    TOPIC(true,
            "Every ddb-warden alert goes through this topic: deleted, re-keyed, re-policied or unsubscribed, it"
                    + " keeps alerts from the team; a subscription someone added receives them (actors, tables,"
                    + " policies); a filter policy can drop the CRITICAL ones.",
            "aws sns get-topic-attributes --topic-arn {arn}; aws sns list-subscriptions-by-topic --topic-arn {arn}"),
    /** ddb-warden's IAM roles (path /ddb-warden/; requests name only the role). */
    ROLE(false,
            "ddb-warden's roles hold exactly the grants its functions need: a policy removed or a boundary set"
                    + " makes every fix fail, and a policy added or a trust policy opened lets someone else act"
                    + " with the power to change every table.",
            "aws iam get-role --role-name {name}; aws iam list-role-policies --role-name {name}; aws iam"
                    + " list-attached-role-policies --role-name {name}; aws cloudformation detect-stack-drift"
                    + " --stack-name {stack}"),
    /** The ledger table. */
    LEDGER(true,
            "The ledger is ddb-warden's memory and audit trail: without it a re-delivered event acts twice, an"
                    + " alert a failed run left pending is lost, and the record of who changed what is gone.",
            "aws dynamodb describe-table --table-name {name} (DeletionProtectionEnabled true); aws dynamodb"
                    + " describe-continuous-backups --table-name {name}; aws dynamodb describe-time-to-live"
                    + " --table-name {name}"),
    /** ddb-warden's SQS queues: the events' dead-letter queue, the failure queue and the re-check queues. */
    QUEUE(true,
            "ddb-warden's queues keep what it could not finish: events EventBridge could not deliver, invocations"
                    + " that kept failing, and the delayed re-checks of tables that were still changing. Deleted,"
                    + " purged, re-policied, given a short retention or another consumer, they lose that work"
                    + " without an error.",
            "aws sqs get-queue-url --queue-name {name}; aws sqs get-queue-attributes --queue-url URL"
                    + " --attribute-names All (Policy, MessageRetentionPeriod, RedrivePolicy); aws lambda"
                    + " list-event-source-mappings --event-source-arn {arn} (only ddb-warden's function)"),
    /** The KMS key that encrypts the alert topic (CloudFormation names it at random: the stack says which). */
    KEY(true,
            "Every alert is encrypted with this key: disabled, scheduled for deletion or re-policied so that SNS,"
                    + " CloudWatch or EventBridge may not use it, every alert and every alarm fails to publish, and"
                    + " the alarms that would say so publish to the same topic.",
            "aws kms describe-key --key-id {arn} (KeyState Enabled); aws kms get-key-policy --key-id {arn}"
                    + " --policy-name default"),
    /** The settings parameter and anything else under {@code /ddb-warden/STACK/} in Parameter Store. */
    PARAMETER(true,
            "ddb-warden's functions read their settings from this parameter and use what it says within a minute:"
                    + " whoever writes it can switch every rule to notify, exempt every table, approve a principal"
                    + " or allow a region, with no deployment and no change to any function. Deleted or broken, the"
                    + " functions keep their last good settings only until they next start, and then fail to.",
            "aws ssm get-parameter --name {name} --query Parameter.Value (the lines your last deployment's"
                    + " Parameters give: aws cloudformation describe-stacks --stack-name {stack} --query"
                    + " Stacks[0].Parameters); aws ssm get-parameter-history --name {name}"),
    /** The sweep's schedule, in the default schedule group (requests name only the schedule). */
    SCHEDULE(true,
            "The schedule starts the sweep, the net that catches every table no event announced (calls made"
                    + " while no trail logged, events EventBridge dropped): disabled, re-timed, re-targeted or"
                    + " deleted, the net is gone and nothing fails.",
            "aws scheduler get-schedule --name {name} (State ENABLED, the template's expression, the sweep state"
                    + " machine as target)"),
    /** The sweep's state machine. */
    STATE_MACHINE(true,
            "The state machine runs the sweep over every region: a changed definition can sweep nothing and"
                    + " still succeed; deleted, every scheduled sweep fails.",
            "aws stepfunctions describe-state-machine --state-machine-arn {arn} (the template's definition and"
                    + " role); aws stepfunctions list-executions --state-machine-arn {arn} --max-results 5");

    private final boolean regional;
    private final String why;
    private final String check;

    WatchedTarget(boolean regional, String why, String check) {
        this.regional = regional;
        this.why = why;
        this.check = check;
    }

    String why() {
        return why;
    }

    String check() {
        return check;
    }

    /**
     * The resource {@code named} when it is ddb-warden's: in its region (for regional resources) and
     * account, with the name CloudFormation gave it. {@code named} may be empty, a name, or an ARN.
     */
    Optional<Subject> ours(String named, ApiCall call, Watched watched) {
        if (regional && !call.region().equals(watched.region())) {
            return Optional.empty();
        }
        String base = "arn:" + watched.partition() + ":%s:" + watched.region() + ":" + call.accountId() + ":";
        switch (this) {
            case TRAIL: {
                String name = named.isEmpty() ? "(not recorded)" : after(named, "trail/");
                return Optional.of(new Subject(named.isEmpty() ? "trail " + name : named, name, named));
            }
            case RULE: {
                String bus = call.request("eventBusName");
                boolean defaultBus = bus.isEmpty() || bus.equals("default") || bus.endsWith(":event-bus/default");
                String name = named.startsWith("arn:") ? ownedName(named, base.formatted("events") + "rule/") : named;
                return defaultBus && name.startsWith(watched.prefix())
                        ? subject(base.formatted("events") + "rule/" + name, name) : Optional.empty();
            }
            case FUNCTION: {
                String name = functionName(named, base.formatted("lambda"), call.accountId());
                return name.startsWith(watched.prefix())
                        ? subject(base.formatted("lambda") + "function:" + name, name) : Optional.empty();
            }
            case TOPIC: {
                String prefix = base.formatted("sns");
                if (!named.startsWith(prefix + watched.prefix())) {
                    return Optional.empty();
                }
                String rest = named.substring(prefix.length());
                String topic = rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest;
                return Optional.of(new Subject(named, topic, prefix + topic));
            }
            case ROLE:
                return named.startsWith(watched.prefix()) ? subject(named, named) : Optional.empty();
            case LEDGER: {
                String name = named.startsWith("arn:") ? ownedName(named, base.formatted("dynamodb") + "table/") : named;
                return name.startsWith(watched.ledgerPrefix())
                        ? subject(base.formatted("dynamodb") + "table/" + name, name) : Optional.empty();
            }
            case QUEUE: {
                String name = queueName(named, base.formatted("sqs"), call.accountId());
                return name.startsWith(watched.prefix())
                        ? subject(base.formatted("sqs") + name, name) : Optional.empty();
            }
            case SCHEDULE: {
                // A record spells the group one way or the other, never both.
                String group = call.request("groupName") + call.request("GroupName");
                boolean defaultGroup = group.isEmpty() || group.equals("default");
                return defaultGroup && named.startsWith(watched.prefix())
                        ? subject(base.formatted("scheduler") + "schedule/default/" + named, named) : Optional.empty();
            }
            case STATE_MACHINE: {
                String name = ownedName(named, base.formatted("states") + "stateMachine:");
                return name.startsWith(watched.prefix())
                        ? subject(base.formatted("states") + "stateMachine:" + name, name) : Optional.empty();
            }
            case PARAMETER: {
                // Named with or without the leading slash, or by ARN (parameter/ then the name without its slash).
                String arnPrefix = base.formatted("ssm") + "parameter";
                String name = named.startsWith("arn:") ? (named.startsWith(arnPrefix + "/") ? named.substring(arnPrefix.length()) : "")
                        : named.startsWith("/") ? named : "/" + named;
                return name.startsWith(watched.parameterPrefix())
                        ? Optional.of(new Subject(name, name, arnPrefix + name)) : Optional.empty();
            }
            case KEY: {
                String keyArn = named.startsWith("arn:") ? named : base.formatted("kms") + "key/" + named;
                return !named.isEmpty() && keyArn.equals(watched.alertKeyArn())
                        ? Optional.of(new Subject(keyArn, after(keyArn, "key/"), keyArn)) : Optional.empty();
            }
            default:
                throw new IllegalStateException("unknown target " + this);
        }
    }

    private static Optional<Subject> subject(String arn, String name) {
        return Optional.of(new Subject(arn, name, arn));
    }

    /** The resource name in an ARN of this account and region, up to the next '/' or ':'; empty for any other ARN. */
    private static String ownedName(String arn, String prefix) {
        if (!arn.startsWith(prefix)) {
            return "";
        }
        String rest = arn.substring(prefix.length());
        int end = indexOfAny(rest, "/:");
        return end < 0 ? rest : rest.substring(0, end);
    }

    /** Lambda takes a name, a name:qualifier, a partial ARN (ACCOUNT:function:NAME) or a full ARN. */
    private static String functionName(String named, String arnPrefix, String account) {
        if (named.startsWith("arn:")) {
            return ownedName(named, arnPrefix + "function:");
        }
        if (named.contains(":function:")) {
            return ownedName(named, account + ":function:");
        }
        int qualifier = named.indexOf(':');
        return qualifier < 0 ? named : named.substring(0, qualifier);
    }

    /**
     * SQS names a queue by URL, {@code https://HOST/ACCOUNT/NAME} on any of its endpoints (regional, legacy,
     * FIPS, VPC, dual-stack), or by ARN; empty for a queue of another account.
     */
    private static String queueName(String named, String arnPrefix, String account) {
        if (named.startsWith("arn:")) {
            return ownedName(named, arnPrefix);
        }
        int scheme = named.indexOf("://");
        if (scheme < 0) {
            return "";
        }
        String[] path = named.substring(scheme + 3).split("/", -1);
        return path.length == 3 && path[1].equals(account) ? path[2] : "";
    }

    private static String after(String text, String marker) {
        int at = text.lastIndexOf(marker);
        return at < 0 ? text : text.substring(at + marker.length());
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * One watched resource as a call named it.
     *
     * @param resource what the call changed (for a subscription, the subscription)
     * @param name     the short name people know it by
     * @param arn      the ARN of the watched resource itself (for a subscription, its topic), or what the call gave
     */
    record Subject(String resource, String name, String arn) {
    }
}
