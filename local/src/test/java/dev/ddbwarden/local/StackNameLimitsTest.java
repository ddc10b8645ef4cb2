package dev.ddbwarden.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every name template.yaml derives from the stack's name fits its service's limit when the stack's name is as
 * long as docs/deploy.md (and README after it) allows, and they allow exactly the longest name that fits. Computed
 * from the template, resource by resource, so a new resource or a longer suffix changes the answer and fails this
 * test until the documentation follows. CloudFormation cannot check a stack name's length itself: its Rules
 * validate parameter values only (AWS CloudFormation Template Reference, "Rule functions"), and AWS::StackName is
 * not a parameter.
 *
 * <p>Names CloudFormation generates ({@code STACK-LogicalId-SUFFIX}) count too: past the limit CloudFormation
 * shortens the stack's part of such a name without failing (its documentation does not say how; users report the
 * stack name cut, e.g. aws/serverless-application-model discussion 3262), and the watcher's rules and
 * protect-ddb-warden.json find ddb-warden's roles, queues, topic and ledger by the stack name at its start.
 */
class StackNameLimitsTest {
    /** The random suffix CloudFormation appends to a name it generates: 12 or 13 characters in names seen. */
    private static final int GENERATED_SUFFIX = 13;
    /** Stand-ins as long as the longest value each pseudo parameter takes. */
    private static final Map<String, String> PSEUDO = Map.of(
            "AWS::Partition", "aws-us-gov",
            "AWS::Region", "ap-southeast-3",
            "AWS::AccountId", "123456789012");
    /** An SSM parameter's limit counts its whole ARN (AWS Systems Manager User Guide, parameter name requirements). */
    private static final int SSM_NAME = 1011 - "arn:aws-us-gov:ssm:ap-southeast-3:123456789012:parameter".length();

    /** Name limits of the names template.yaml sets, by resource type and property (each service's API reference). */
    private static final Map<String, Map<String, Integer>> NAMED = Map.ofEntries(
            Map.entry("AWS::Serverless::Function", Map.of("FunctionName", 64)),
            Map.entry("AWS::Lambda::Function", Map.of("FunctionName", 64)),
            Map.entry("AWS::Serverless::StateMachine", Map.of("Name", 80)),
            Map.entry("AWS::StepFunctions::StateMachine", Map.of("StateMachineName", 80)),
            Map.entry("AWS::Events::Rule", Map.of("Name", 64)),
            Map.entry("AWS::Scheduler::Schedule", Map.of("Name", 64)),
            Map.entry("AWS::Logs::LogGroup", Map.of("LogGroupName", 512)),
            Map.entry("AWS::KMS::Alias", Map.of("AliasName", 256)),
            Map.entry("AWS::CloudTrail::Trail", Map.of("TrailName", 128)),
            Map.entry("AWS::SSM::Parameter", Map.of("Name", SSM_NAME)),
            // PutPermission's StatementId: 1-64 characters (EventBridge API reference).
            Map.entry("AWS::Events::EventBusPolicy", Map.of("StatementId", 64)));
    /** Limits of the names CloudFormation generates when the template sets none, by type, and the property it would set. */
    private static final Map<String, Integer> GENERATED = Map.ofEntries(
            Map.entry("AWS::IAM::Role", 64),
            Map.entry("AWS::IAM::ManagedPolicy", 128),
            Map.entry("AWS::SQS::Queue", 80),
            Map.entry("AWS::SNS::Topic", 256),
            Map.entry("AWS::DynamoDB::Table", 255),
            Map.entry("AWS::S3::Bucket", 63),
            Map.entry("AWS::CloudWatch::Alarm", 255),
            Map.entry("AWS::Events::Rule", 64),
            Map.entry("AWS::Serverless::Function", 64),
            Map.entry("AWS::Lambda::Function", 64),
            Map.entry("AWS::Serverless::StateMachine", 80));
    private static final Map<String, String> GENERATED_PROPERTY = Map.ofEntries(
            Map.entry("AWS::IAM::Role", "RoleName"),
            Map.entry("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
            Map.entry("AWS::SQS::Queue", "QueueName"),
            Map.entry("AWS::SNS::Topic", "TopicName"),
            Map.entry("AWS::DynamoDB::Table", "TableName"),
            Map.entry("AWS::S3::Bucket", "BucketName"),
            Map.entry("AWS::CloudWatch::Alarm", "AlarmName"),
            Map.entry("AWS::Events::Rule", "Name"),
            Map.entry("AWS::Serverless::Function", "FunctionName"),
            Map.entry("AWS::Lambda::Function", "FunctionName"),
            Map.entry("AWS::Serverless::StateMachine", "Name"));
    /** Types that take no name at all. */
    private static final List<String> UNNAMED = List.of("AWS::KMS::Key", "AWS::SNS::Subscription",
            "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy", "AWS::S3::BucketPolicy", "AWS::Lambda::Permission",
            "AWS::Lambda::EventSourceMapping", "AWS::Lambda::EventInvokeConfig");
    /** Name limits of what SAM makes of a function's or state machine's events. */
    private static final Map<String, Integer> EVENT_NAMES = Map.of("EventBridgeRule", 64, "CloudWatchEvent", 64,
            "ScheduleV2", 64);
    private static final Map<String, String> EVENT_NAME_PROPERTY = Map.of("EventBridgeRule", "RuleName",
            "CloudWatchEvent", "RuleName", "ScheduleV2", "Name");
    /** Events that make no named resource (an event source mapping). */
    private static final List<String> UNNAMED_EVENTS = List.of("SQS");
    private static final Pattern DOCUMENTED = Pattern.compile("stack name of at most (\\d+) characters");
    private static final Pattern STACK_NAME = Pattern.compile("(?m)^stack_name = \"([^\"]+)\"");

    private static List<DerivedName> names;

    /** One name the stack makes: its limit, and the name it takes for a given stack name. */
    private record DerivedName(String where, int limit, UnaryOperator<String> forStack) {
        int longestStackName() {
            return limit - forStack.apply("").length();
        }
    }

    @BeforeAll
    static void derive() throws Exception {
        names = new ArrayList<>();
        Project.template().resources().forEach((id, body) -> derive(id, Template.map(body)));
    }

    @Test
    void everyDerivedName_shouldFitItsLimit_whenTheStackNameIsAsLongAsReadmeAllows() throws Exception {
        // GIVEN
        String stack = "s".repeat(documentedMaximum());

        // WHEN / THEN
        assertThat(names).as("names derived from the template").hasSizeGreaterThan(30);
        for (DerivedName name : names) {
            assertThat(name.forStack().apply(stack)).as(name.where() + " (limit " + name.limit() + ")")
                    .hasSizeLessThanOrEqualTo(name.limit());
        }
    }

    @Test
    void readme_shouldAllowExactlyTheLongestStackNameEveryNameFits() throws Exception {
        // GIVEN
        DerivedName tightest = names.stream()
                .min((a, b) -> Integer.compare(a.longestStackName(), b.longestStackName())).orElseThrow();

        // WHEN / THEN
        assertThat(documentedMaximum()).as("the documented maximum; the tightest name is " + tightest.where())
                .isEqualTo(tightest.longestStackName());
    }

    @Test
    void samconfig_shouldNameOnlyStacksWithinTheMaximum() throws Exception {
        // GIVEN
        Matcher stacks = STACK_NAME.matcher(Files.readString(Project.ROOT.resolve("samconfig.toml")));
        List<String> found = new ArrayList<>();

        // WHEN
        while (stacks.find()) {
            found.add(stacks.group(1));
        }

        // THEN
        assertThat(found).isNotEmpty().allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(documentedMaximum()));
    }

    @Test
    void aNameTooLongForItsLimit_shouldBeCaught_byTheSameMeasure() {
        DerivedName function = names.stream().filter(n -> n.where().equals("DeletionProtectionFunction.FunctionName"))
                .findFirst().orElseThrow();

        assertThat(function.forStack().apply("s".repeat(function.longestStackName() + 1)))
                .hasSizeGreaterThan(function.limit());
    }

    /** The maximum docs/deploy.md explains, which README's Deploy section repeats. */
    private static int documentedMaximum() throws Exception {
        int explained = documentedMaximum("docs/deploy.md");
        assertThat(documentedMaximum("README.md")).as("README's maximum, as docs/deploy.md's").isEqualTo(explained);
        return explained;
    }

    private static int documentedMaximum(String page) throws Exception {
        Matcher documented = DOCUMENTED.matcher(Files.readString(Project.ROOT.resolve(page)));
        assertThat(documented.find()).as(page + " says \"stack name of at most N characters\"").isTrue();
        return Integer.parseInt(documented.group(1));
    }

    private static void derive(String id, Map<String, Object> resource) {
        String type = String.valueOf(resource.get("Type"));
        Map<String, Object> properties = Template.map(resource.get("Properties"));
        if (UNNAMED.contains(type)) {
            return;
        }
        Map<String, Integer> named = NAMED.getOrDefault(type, Map.of());
        boolean hasName = false;
        for (Map.Entry<String, Integer> property : named.entrySet()) {
            if (properties.containsKey(property.getKey())) {
                names.add(explicit(id + "." + property.getKey(), property.getValue(), properties.get(property.getKey())));
                hasName = true;
            }
        }
        if (!hasName) {
            assertThat(GENERATED).as("name limit of " + type + " (" + id + "): add it to this test's tables")
                    .containsKey(type);
            assertThat(properties).as(id + " sets a name property this test does not know")
                    .doesNotContainKey(GENERATED_PROPERTY.get(type));
            names.add(generated(id + " (generated " + GENERATED_PROPERTY.get(type) + ")", GENERATED.get(type), id));
        }
        Template.map(properties.get("Events")).forEach((event, spec) -> {
            String eventType = String.valueOf(Template.map(spec).get("Type"));
            if (UNNAMED_EVENTS.contains(eventType)) {
                return;
            }
            assertThat(EVENT_NAMES).as("name limit of a " + eventType + " event (" + id + "." + event + ")")
                    .containsKey(eventType);
            Object name = Template.map(Template.map(spec).get("Properties")).get(EVENT_NAME_PROPERTY.get(eventType));
            names.add(name == null
                    ? generated(id + "." + event + " (generated)", EVENT_NAMES.get(eventType), id + event)
                    : explicit(id + "." + event + "." + EVENT_NAME_PROPERTY.get(eventType), EVENT_NAMES.get(eventType), name));
        });
    }

    private static DerivedName generated(String where, int limit, String logicalId) {
        return new DerivedName(where, limit, stack -> stack + "-" + logicalId + "-" + "X".repeat(GENERATED_SUFFIX));
    }

    private static DerivedName explicit(String where, int limit, Object value) {
        if (value instanceof String literal) {
            return new DerivedName(where, limit, stack -> literal);
        }
        Object sub = Template.map(Intrinsics.inlined(value)).get("Fn::Sub");
        assertThat(sub).as(where + " is a literal or a !Sub string, which this test can measure").isInstanceOf(String.class);
        String text = (String) sub;
        Matcher variables = Pattern.compile("\\$\\{([^}!]+)}").matcher(text);
        while (variables.find()) {
            String variable = variables.group(1);
            assertThat(variable.equals("AWS::StackName") || PSEUDO.containsKey(variable))
                    .as(where + " uses ${" + variable + "}, whose length this test does not know").isTrue();
        }
        return new DerivedName(where, limit, stack -> {
            String name = text.replace("${AWS::StackName}", stack);
            for (Map.Entry<String, String> pseudo : PSEUDO.entrySet()) {
                name = name.replace("${" + pseudo.getKey() + "}", pseudo.getValue());
            }
            return name;
        });
    }
}
