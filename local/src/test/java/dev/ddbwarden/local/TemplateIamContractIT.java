package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.handler.Grants;
import dev.ddbwarden.local.IamSimulator.Case;
import dev.ddbwarden.local.IamSimulator.Policies;
import dev.ddbwarden.local.IamSimulator.Request;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ddbwarden.local.IamSimulator.ACCOUNT;
import static dev.ddbwarden.local.IamSimulator.ALLOW_ALL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yaml's real role and queue policies (intrinsics resolved with AllowedRegions us-east-1,eu-west-1) and the
 * shipped SCPs (rendered from scp/settings) evaluated by IAM's own logic (the IAM simulator, see {@link IamSimulator}):
 * every role may make every call documented-actions.md lists for it, with every action AWS documents for the call;
 * a forbidden replica is removable by the region guard and the sweep and by nobody else, and never in an allowed
 * region; nobody but ddb-warden sends to its queues, invokes its functions, passes its roles, changes its settings
 * or gives a table ddb-warden's tags at creation; and only this account's CloudWatch alarms publish to the alert
 * topic through its key.
 */
class TemplateIamContractIT {
    private static final String HOME = "us-east-1";
    private static final List<String> ALLOWED = List.of(HOME, "eu-west-1");
    private static final String FORBIDDEN = "ap-southeast-2";
    private static final String DEVELOPER = "arn:aws:iam::" + ACCOUNT + ":role/developer";
    private static final String SECURITY = "arn:aws:iam::" + ACCOUNT + ":role/security/responder";
    private static final String DEPLOYER = "arn:aws:iam::" + ACCOUNT + ":role/ddb-warden-deployer";
    private static final String STACKSETS = "arn:aws:iam::" + ACCOUNT + ":role/stacksets-exec-0a1b2c3d";
    private static final List<String> REPLICA_REMOVERS = List.of("RegionGuardRole", "SweepRegionRole");

    private static Template template;
    private static final String MEMBER_ROLE = "ddb-warden-remediator";
    private static final String MEMBER_ACCOUNT = "222222222222";
    private static ResolvedTemplate resolved;
    /** Every queue of the stack: a rule's re-check queue, the failure and dead-letter queues. */
    private static List<String> queues;
    /** member.yaml as a StackSet deploys it in a member account, naming this security account and stack. */
    private static ResolvedTemplate member;
    private static Template memberTemplate;
    private static List<JsonNode> scps;

    /** The actions cell of a call made with no permission on purpose: {@code no permission, by design (A, B withheld)}. */
    private static final Pattern BY_DESIGN = Pattern.compile("no permission, by design \\((.+) withheld\\)");

    /**
     * One row of documented-actions.md.
     *
     * @param withheld for a call made with no permission by design, the actions AWS documents for it that the role
     *                 must not have (then {@code actions} is empty)
     */
    record Row(List<String> roles, String call, List<String> actions, List<String> withheld, String resource, String page) {
    }

    @BeforeAll
    static void load() throws Exception {
        template = Project.template();
        queues = template.resources().entrySet().stream()
                .filter(e -> "AWS::SQS::Queue".equals(Template.map(e.getValue()).get("Type"))).map(Map.Entry::getKey).toList();
        // A member role named, so the policies an Organization deployment adds are held to the table too.
        // The alert channels opted in too, so their grants are held to the table (channelsOff_* holds them off).
        resolved = new ResolvedTemplate(template, Map.of("AllowedRegions", String.join(",", ALLOWED),
                "MemberRoleName", MEMBER_ROLE, "SecurityHubFindings", "true", "ChatNotifications", "true"), HOME, ACCOUNT,
                TemplateValues.STACK_NAME);
        scps = RenderedScps.shipped(Map.of("ALLOWED_REGIONS", ALLOWED));
        memberTemplate = Template.read(Project.ROOT.resolve("member.yaml"));
        member = memberStack("true");
    }

    @Test
    void documentedActions_shouldNameAPageForEveryRowAndOnlyRolesOfTheTemplate() throws IOException {
        List<Row> rows = rows();
        assertThat(rows).hasSizeGreaterThan(10);
        for (Row row : rows) {
            assertThat(row.page()).as("page of %s", row.call()).startsWith("https://docs.aws.amazon.com/");
            assertThat(row.actions().isEmpty()).as("%s: actions, or none by design", row.call()).isNotEqualTo(row.withheld().isEmpty());
            assertThat(row.actions()).as("actions of %s", row.call())
                    .allSatisfy(action -> assertThat(action).matches("[a-z0-9-]+:[A-Za-z]+"));
            assertThat(row.withheld()).as("actions withheld from %s", row.call())
                    .allSatisfy(action -> assertThat(action).matches("[a-z0-9-]+:[A-Za-z]+"));
            row.roles().forEach(role -> assertThat(template.resource(role).get("Type"))
                    .as("%s of %s", role, row.call()).isEqualTo("AWS::IAM::Role"));
        }
    }

    @Test
    void documentedActions_shouldCoverEveryActionTheCodeDeclaresForItsRole() throws IOException {
        List<Row> rows = rows();
        for (Rule rule : Rules.all()) {
            String role = TemplateContractTest.roleOf(template, rule);
            Set<String> documented = new TreeSet<>();
            rows.stream().filter(row -> row.roles().contains(role)).forEach(row -> documented.addAll(row.actions()));
            Set<String> declared = new TreeSet<>(rule.tableActions());
            declared.addAll(rule.otherActions());
            List.of(Grants.LEDGER, Grants.ALERT, Grants.queues(rule), Grants.LOGS).forEach(declared::addAll);

            assertThat(documented).as("actions documented-actions.md lists for %s", role).containsAll(declared);
        }
    }

    @Test
    void everyRole_shouldBeAllowedEveryDocumentedActionOfEveryCallItsCodeMakes() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (Row row : rows()) {
            for (String role : row.roles()) {
                // A resource may end with the condition key its call is made under: "ARN with KEY=VALUE".
                String[] parts = row.resource().split(" with ", 2);
                String resource = resolved.sub(parts[0], variables(role));
                Map<String, Object> context = parts.length == 1 ? Map.of()
                        : Map.of(parts[1].split("=", 2)[0], resolved.sub(parts[1].split("=", 2)[1], variables(role)));
                for (String action : row.actions()) {
                    cases.add(new Case(role + " " + action + " on " + resource + " (" + row.call() + ")",
                            new Request(roleArn(role), action, resource, context),
                            new Policies(List.of(resolved.rolePolicy(role)), scps, resourcePolicy(resource))));
                }
            }
        }

        assertThat(IamSimulator.decide(cases)).allSatisfy((name, result) ->
                assertThat(result).as(name).isEqualTo("Allowed"));
    }

    @Test
    void callsMadeWithNoPermissionByDesign_shouldFindTheRoleGrantedNothingOfThatService() throws Exception {
        List<Row> byDesign = rows().stream().filter(row -> !row.withheld().isEmpty()).toList();
        assertThat(byDesign).as("S3 HeadBucket of the egress rule").anySatisfy(row -> {
            assertThat(row.roles()).containsExactly("EgressRole");
            assertThat(row.withheld()).containsExactly("s3:ListBucket");
        });
        List<Case> cases = new ArrayList<>();
        for (Row row : byDesign) {
            for (String role : row.roles()) {
                Set<String> services = new TreeSet<>();
                row.withheld().forEach(action -> services.add(action.substring(0, action.indexOf(':') + 1)));
                assertThat(grantedActions(role)).as("%s's actions, beside %s", role, row.call())
                        .noneMatch(action -> services.stream().anyMatch(action::startsWith) || action.equals("*"));
                String resource = resolved.sub(row.resource(), variables(role));
                for (String action : row.withheld()) {
                    cases.add(new Case(role + " " + action + " on " + resource, new Request(roleArn(role), action, resource,
                            Map.of()), new Policies(List.of(resolved.rolePolicy(role)), scps, resourcePolicy(resource))));
                }
            }
        }

        assertThat(IamSimulator.decide(cases)).isNotEmpty().allSatisfy((name, result) ->
                assertThat(result).as(name).isNotEqualTo("Allowed"));
    }

    /** Every action the role's policies name, as written. */
    private static List<String> grantedActions(String role) {
        List<String> actions = new ArrayList<>();
        for (JsonNode statement : resolved.rolePolicy(role).path("Statement")) {
            JsonNode action = statement.path("Action");
            if (action.isArray()) {
                action.forEach(each -> actions.add(each.asText()));
            } else {
                actions.add(action.asText());
            }
        }
        return actions;
    }

    @Test
    void tablesKeys_shouldBeUsedByTheEncryptionRule_onlyThroughDynamoDb() throws Exception {
        String key = "arn:aws:kms:" + HOME + ":" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
        List<Case> cases = new ArrayList<>();
        for (String role : List.of("EncryptionRole", "SweepRegionRole")) {
            for (String action : List.of("kms:Decrypt", "kms:CreateGrant")) {
                for (String via : List.of("dynamodb." + HOME + ".amazonaws.com", "s3." + HOME + ".amazonaws.com", "")) {
                    Map<String, Object> context = via.isEmpty() ? Map.of() : Map.of("kms:ViaService", via);
                    cases.add(new Case(role + " " + action + " via " + (via.isEmpty() ? "no service" : via),
                            new Request(roleArn(role), action, key, context),
                            new Policies(List.of(resolved.rolePolicy(role)), scps, keyPolicy(DEFAULT_KEY_STATEMENT))));
                }
            }
        }

        assertThat(IamSimulator.decide(cases)).hasSize(12).allSatisfy((name, result) ->
                assertThat(result.equals("Allowed")).as("%s: %s", name, result).isEqualTo(name.contains("via dynamodb.")));
    }

    @Test
    void forbiddenReplica_shouldBeRemovable_byTheRegionGuardAndTheSweep_whateverTheRequestedRegion() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (String role : REPLICA_REMOVERS) {
            for (String requested : List.of(FORBIDDEN, HOME)) {
                for (String action : List.of("dynamodb:DeleteTable", "dynamodb:DeleteTableReplica")) {
                    cases.add(new Case(role + " " + action + " requested in " + requested,
                            new Request(roleArn(role), action, table(FORBIDDEN),
                                    Map.of("aws:RequestedRegion", requested)),
                            new Policies(List.of(resolved.rolePolicy(role)), scps, null)));
                }
            }
        }

        assertThat(IamSimulator.decide(cases)).hasSize(8).allSatisfy((name, result) ->
                assertThat(result).as(name).isEqualTo("Allowed"));
    }

    @Test
    void replicaInAnAllowedRegion_shouldBeRefused_byTheRolePolicyAndByTheScpEachAlone() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (String role : REPLICA_REMOVERS) {
            for (String region : ALLOWED) {
                Request delete = new Request(roleArn(role), "dynamodb:DeleteTable", table(region),
                        Map.of("aws:RequestedRegion", region));
                cases.add(new Case(role + " in " + region + " by its policy", delete,
                        new Policies(List.of(resolved.rolePolicy(role)), List.of(), null)));
                cases.add(new Case(role + " in " + region + " by the SCPs", delete,
                        new Policies(List.of(ALLOW_ALL), scps, null)));
                cases.add(new Case(role + " DeleteTableReplica in " + region + " by its policy",
                        new Request(roleArn(role), "dynamodb:DeleteTableReplica", table(region)),
                        new Policies(List.of(resolved.rolePolicy(role)), List.of(), null)));
            }
        }

        assertThat(IamSimulator.decide(cases)).hasSize(12).allSatisfy((name, result) ->
                assertThat(result).as(name).isEqualTo("ExplicitlyDenied"));
    }

    @Test
    void forbiddenReplica_shouldNotBeRemovable_byAnyoneElse() throws Exception {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("an administrator", new Request(DEVELOPER, "dynamodb:DeleteTable", table(FORBIDDEN)),
                new Policies(List.of(ALLOW_ALL), scps, null)));
        for (String role : List.of("DeletionProtectionRole", "PublicAccessRole", "WatcherRole")) {
            for (String action : List.of("dynamodb:DeleteTable", "dynamodb:DeleteTableReplica")) {
                cases.add(new Case(role + " " + action, new Request(roleArn(role), action, table(FORBIDDEN)),
                        new Policies(List.of(resolved.rolePolicy(role)), scps, null)));
            }
        }

        assertThat(IamSimulator.decide(cases)).hasSize(7).allSatisfy((name, result) ->
                assertThat(result).as(name).isNotEqualTo("Allowed").doesNotStartWith("Error"));
    }

    @Test
    void queues_shouldRefuseMessages_fromAnyoneButDdbWardenAndTheStacksRules() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (String queue : queues) {
            String arn = resolved.sub("${" + queue + ".Arn}", Map.of());
            JsonNode policy = resolved.queuePolicy(queue).orElse(null);
            cases.add(new Case("an administrator to " + queue, new Request(DEVELOPER, "sqs:SendMessage", arn),
                    new Policies(List.of(ALLOW_ALL), scps, policy)));
            cases.add(new Case("a security role to " + queue, new Request(SECURITY, "sqs:SendMessage", arn),
                    new Policies(List.of(ALLOW_ALL), scps, policy)));
            cases.add(new Case("another ddb-warden stack's role to " + queue, new Request("arn:aws:iam::" + ACCOUNT
                    + ":role/ddb-warden/payments-warden-DeletionProtectionRole-AbC", "sqs:SendMessage", arn),
                    new Policies(List.of(ALLOW_ALL), List.of(), policy)));
            cases.add(new Case("EventBridge for another rule to " + queue, new Request("events.amazonaws.com",
                    "sqs:SendMessage", arn, Map.of("aws:SourceArn", rule("payments-orders"),
                    "aws:SourceAccount", ACCOUNT)), new Policies(List.of(), List.of(), policy)));
        }
        Map<String, String> refused = IamSimulator.decide(cases);

        String deadLetters = resolved.sub("${EventDeadLetterQueue.Arn}", Map.of());
        Map<String, String> delivered = IamSimulator.decide(List.of(new Case("EventBridge for the stack's rule",
                new Request("events.amazonaws.com", "sqs:SendMessage", deadLetters,
                        Map.of("aws:SourceArn", rule("ddb-warden-deletion-protection"), "aws:SourceAccount", ACCOUNT)),
                new Policies(List.of(), List.of(), resolved.queuePolicy("EventDeadLetterQueue").orElseThrow()))));

        assertThat(queues).contains("FailureQueue", "EventDeadLetterQueue", "RecheckQueue", "PrivateNetworkRecheckQueue");
        assertThat(refused).hasSize(4 * queues.size()).allSatisfy((name, result) ->
                assertThat(result).as(name).isNotEqualTo("Allowed").doesNotStartWith("Error"));
        assertThat(delivered).allSatisfy((name, result) -> assertThat(result).as(name).isEqualTo("Allowed"));
    }

    @Test
    void functions_shouldBeInvokedOnlyByDdbWardenTheDeployerAndTheSecurityRoles() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        List<Case> cases = new ArrayList<>();
        for (String function : template.functionIds()) {
            String arn = resolved.sub("${" + function + ".Arn}", Map.of());
            for (String qualified : List.of(arn, arn + ":live")) {
                for (String principal : List.of(DEVELOPER, SECURITY, DEPLOYER, roleArn("SweepStateMachineRole"))) {
                    String name = principal + " invokes " + qualified;
                    expected.put(name, principal.equals(DEVELOPER) ? "ExplicitlyDenied" : "Allowed");
                    cases.add(new Case(name, new Request(principal, "lambda:InvokeFunction", qualified),
                            new Policies(List.of(ALLOW_ALL), scps, null)));
                }
            }
        }

        assertThat(IamSimulator.decide(cases)).isEqualTo(expected);
    }

    @Test
    void ddbWardensRoles_shouldBePassedOnlyByTheDeployerAndStackSets() throws Exception {
        String role = roleArn("RegionGuardRole");
        Map<String, String> expected = Map.of(DEVELOPER, "ExplicitlyDenied", SECURITY, "ExplicitlyDenied",
                DEPLOYER, "Allowed", STACKSETS, "Allowed");
        List<Case> cases = new ArrayList<>();
        expected.keySet().forEach(principal -> cases.add(new Case(principal, new Request(principal, "iam:PassRole",
                role, Map.of("iam:PassedToService", "lambda.amazonaws.com")),
                new Policies(List.of(ALLOW_ALL), scps, null))));

        assertThat(IamSimulator.decide(cases)).isEqualTo(expected);
    }

    @Test
    void tableCreatedWithDdbWardensTags_shouldBeRefused_toAnyoneButDdbWardenAndTheSecurityRoles() throws Exception {
        Map<String, Object> quarantineTag = Map.of("aws:TagKeys", List.of("team", "ddb-warden:quarantine"),
                "aws:RequestTag/ddb-warden:quarantine", "true", "aws:RequestTag/team", "payments",
                "aws:RequestedRegion", HOME);
        Map<String, Object> ordinaryTag = Map.of("aws:TagKeys", List.of("team"), "aws:RequestTag/team", "payments",
                "aws:RequestedRegion", HOME);
        Map<String, String> expected = new LinkedHashMap<>();
        List<Case> cases = new ArrayList<>();
        for (var principal : Map.of(DEVELOPER, "ExplicitlyDenied", SECURITY, "Allowed").entrySet()) {
            for (var tags : Map.of("ddb-warden's tag", quarantineTag, "its own tag", ordinaryTag).entrySet()) {
                String name = principal.getKey() + " creates a table with " + tags.getKey();
                expected.put(name, tags.getValue() == ordinaryTag ? "Allowed" : principal.getValue());
                cases.add(new Case(name, new Request(principal.getKey(), "dynamodb:CreateTable", table(HOME),
                        tags.getValue()), new Policies(List.of(ALLOW_ALL), scps, null)));
            }
        }

        assertThat(IamSimulator.decide(cases)).isEqualTo(expected);
    }

    @Test
    void tables_shouldBeRestoredFromAwsBackup_onlyInTheAllowedRegions() throws Exception {
        String restoreRole = "arn:aws:iam::" + ACCOUNT + ":role/service-role/AWSBackupDefaultServiceRole";
        Map<String, String> expected = new LinkedHashMap<>();
        List<Case> cases = new ArrayList<>();
        for (String region : List.of(HOME, FORBIDDEN)) {
            expected.put(region, region.equals(HOME) ? "Allowed" : "ExplicitlyDenied");
            cases.add(new Case(region, new Request(restoreRole, "dynamodb:RestoreTableFromAwsBackup", table(region),
                    Map.of("aws:RequestedRegion", region)), new Policies(List.of(ALLOW_ALL), scps, null)));
        }

        assertThat(IamSimulator.decide(cases)).isEqualTo(expected);
    }

    @Test
    void settings_shouldBeChangedOnlyByTheDeployerAndTheSecurityRoles() throws Exception {
        String parameter = "arn:aws:ssm:" + HOME + ":" + ACCOUNT + ":parameter/ddb-warden/" + resolved.stack()
                + "/settings";
        Map<String, String> expected = Map.of(DEVELOPER, "ExplicitlyDenied", roleArn("DeletionProtectionRole"),
                "ExplicitlyDenied", SECURITY, "Allowed", DEPLOYER, "Allowed");
        List<Case> cases = new ArrayList<>();
        for (String action : List.of("ssm:PutParameter", "ssm:DeleteParameter", "ssm:LabelParameterVersion",
                "ssm:AddTagsToResource")) {
            expected.keySet().forEach(principal -> cases.add(new Case(principal + " " + action,
                    new Request(principal, action, parameter), new Policies(List.of(ALLOW_ALL), scps, null))));
        }

        Map<String, String> results = IamSimulator.decide(cases);
        assertThat(results).hasSize(16).allSatisfy((name, result) ->
                assertThat(result).as(name).isEqualTo(expected.get(name.substring(0, name.indexOf(' ')))));
    }

    /**
     * The ledger's decisions make ddb-warden's tags count: its own policy refuses item writes to every principal
     * but this stack's roles, even one whose identity policy allows everything, and so does the runtime SCP.
     */
    @Test
    void ledger_shouldTakeDecisionsOnlyFromThisStacksRoles() throws Exception {
        String ledger = resolved.sub("${Ledger.Arn}", Map.of());
        JsonNode policy = resourcePolicy(ledger);
        String otherStack = "arn:aws:iam::" + ACCOUNT + ":role/ddb-warden/payments-warden-DeletionProtectionRole-AbC";
        List<Case> refused = new ArrayList<>();
        List<Case> admitted = new ArrayList<>();
        for (String action : List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem", "dynamodb:PartiQLInsert")) {
            for (String principal : List.of(DEVELOPER, SECURITY, DEPLOYER, otherStack)) {
                refused.add(new Case(principal + " " + action, new Request(principal, action, ledger),
                        new Policies(List.of(ALLOW_ALL), List.of(), policy)));
            }
            refused.add(new Case("the SCP, " + DEVELOPER + " " + action, new Request(DEVELOPER, action, ledger),
                    new Policies(List.of(ALLOW_ALL), scps, null)));
            admitted.add(new Case("DeletionProtectionRole " + action,
                    new Request(roleArn("DeletionProtectionRole"), action, ledger),
                    new Policies(List.of(ALLOW_ALL), scps, policy)));
        }

        assertThat(IamSimulator.decide(refused)).hasSize(25).allSatisfy((name, result) ->
                assertThat(result).as(name).isEqualTo("ExplicitlyDenied"));
        assertThat(IamSimulator.decide(admitted)).hasSize(5).allSatisfy((name, result) ->
                assertThat(result).as(name).isEqualTo("Allowed"));
    }

    @Test
    void alertTopicAndKey_shouldAdmitOnlyThisAccountsAlarms() throws Exception {
        String topic = resolved.sub("${AlertTopic}", Map.of());
        String key = resolved.sub("${AlertKey.Arn}", Map.of());
        JsonNode topicPolicy = resourcePolicy(topic);
        JsonNode keyPolicy = resourcePolicy(key);
        String ownAlarm = "arn:aws:cloudwatch:" + HOME + ":" + ACCOUNT + ":alarm:ddb-warden-WatcherErrorsAlarm-X";
        String otherAlarm = "arn:aws:cloudwatch:" + HOME + ":210987654321:alarm:theirs";
        Map<String, String> expected = new LinkedHashMap<>();
        List<Case> cases = new ArrayList<>();
        for (var caller : Map.of("cloudwatch.amazonaws.com for this account's alarm",
                List.of("cloudwatch.amazonaws.com", ownAlarm, ACCOUNT),
                "cloudwatch.amazonaws.com for another account's alarm",
                List.of("cloudwatch.amazonaws.com", otherAlarm, "210987654321"),
                "events.amazonaws.com for this account's rule",
                List.of("events.amazonaws.com", rule("ddb-warden-watcher"), ACCOUNT)).entrySet()) {
            Map<String, Object> context = Map.of("aws:SourceArn", caller.getValue().get(1),
                    "aws:SourceAccount", caller.getValue().get(2), "aws:SecureTransport", "true");
            String outcome = caller.getKey().endsWith("this account's alarm") ? "Allowed" : "not allowed";
            for (var call : Map.of("sns:Publish", topic, "kms:GenerateDataKey", key, "kms:Decrypt", key).entrySet()) {
                String name = caller.getKey() + " " + call.getKey();
                expected.put(name, outcome);
                cases.add(new Case(name, new Request(caller.getValue().get(0), call.getKey(), call.getValue(), context),
                        new Policies(List.of(), List.of(), call.getKey().startsWith("sns:") ? topicPolicy : keyPolicy)));
            }
        }

        Map<String, String> results = IamSimulator.decide(cases);
        assertThat(results.keySet()).isEqualTo(expected.keySet());
        results.forEach((name, result) -> assertThat(result.equals("Allowed") ? "Allowed" : "not allowed")
                .as("%s: %s", name, result).isEqualTo(expected.get(name)));
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Project.ROOT.resolve("local/src/test/resources/documented-actions.md"))) {
            if (!line.startsWith("| ") || line.startsWith("| roles ") || line.startsWith("| ---")) {
                continue;
            }
            String[] cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::trim)
                    .toArray(String[]::new);
            Matcher byDesign = BY_DESIGN.matcher(cells[2]);
            rows.add(byDesign.matches()
                    ? new Row(List.of(cells[0].split(",\\s*")), cells[1], List.of(), List.of(byDesign.group(1).split(",\\s*")),
                            cells[3], cells[4])
                    : new Row(List.of(cells[0].split(",\\s*")), cells[1], List.of(cells[2].split(",\\s*")), List.of(),
                            cells[3], cells[4]));
        }
        return rows;
    }

    private static Map<String, String> variables(String role) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("ForbiddenRegion", FORBIDDEN);
        Map<String, Object> machine = Template.map(template.resource("SweepStateMachine").get("Properties"));
        variables.put("SweepTarget", resolved.resolve(Template.map(machine.get("DefinitionSubstitutions"))
                .get("SweepFunctionArn")).asText());
        for (String function : template.functionIds()) {
            Map<String, Object> properties = Template.map(template.resource(function).get("Properties"));
            if (Map.of("Fn::GetAtt", List.of(role, "Arn")).equals(properties.get("Role"))) {
                Object logGroup = Template.map(properties.get("LoggingConfig")).get("LogGroup");
                variables.put("OwnLogGroup", resolved.resolve(logGroup).asText());
            }
        }
        return variables;
    }

    /** The policy of the queue, topic or key the ARN names: KMS in particular decides by the key policy first. */
    private static JsonNode resourcePolicy(String arn) {
        if (arn.equals(member.sub("${MemberRole.Arn}", Map.of()))) {
            return memberTrust();
        }
        for (String queue : queues) {
            if (resolved.sub("${" + queue + ".Arn}", Map.of()).equals(arn)) {
                return resolved.queuePolicy(queue).orElse(null);
            }
        }
        if (resolved.sub("${AlertTopic}", Map.of()).equals(arn)) {
            return resolved.resolve(Template.map(template.resource("AlertTopicPolicy").get("Properties"))
                    .get("PolicyDocument"));
        }
        if (resolved.sub("${Ledger.Arn}", Map.of()).equals(arn)) {
            return resolved.resolve(Template.map(Template.map(template.resource("Ledger").get("Properties"))
                    .get("ResourcePolicy")).get("PolicyDocument"));
        }
        if (resolved.sub("${AlertKey.Arn}", Map.of()).equals(arn)) {
            return resolved.resolve(Template.map(template.resource("AlertKey").get("Properties")).get("KeyPolicy"));
        }
        if (arn.contains(":kms:") && arn.contains(":key/")) {
            return keyPolicy(DEFAULT_KEY_STATEMENT);
        }
        return null;
    }

    /**
     * The statement of the default key policy KMS gives a key made without one: the account, so IAM policies, may use
     * it ("Default key policy", AWS KMS developer guide). A table's key is the customer's, and has it unless its owner
     * took it out.
     */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_KEY_STATEMENT = "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";

    private static JsonNode keyPolicy(String... statements) {
        try {
            return JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A key whose policy does not hand the key to IAM refuses ddb-warden whatever its role allows, until the owner adds
     * the statement docs/table-key.md gives (read from that page, with this stack's account and name).
     */
    @Test
    void tableKey_shouldNeedTheKeyPolicyStatementOfItsDocsPage_whenTheKeyDoesNotTrustIam() throws Exception {
        String page = Files.readString(Project.ROOT.resolve("docs/table-key.md"));
        Matcher block = Pattern.compile("```json\\n(\\{\\n  \"Sid\": \"LetDdbWardenRestoreThisKey\".*?\\n})\\n```", Pattern.DOTALL)
                .matcher(page);
        assertThat(block.find()).as("the key-policy statement in docs/table-key.md").isTrue();
        String statement = block.group(1).replace("ACCOUNT", ACCOUNT).replace("STACK", resolved.sub("${AWS::StackName}", Map.of()));
        String owner = "{\"Sid\":\"Owner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT
                + ":role/key-owner\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
        String key = "arn:aws:kms:" + HOME + ":" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
        Map<String, String> expected = new LinkedHashMap<>();
        List<Case> cases = new ArrayList<>();
        for (String role : List.of("TableKeyRole", "SweepRegionRole")) {
            for (String action : List.of("kms:DescribeKey", "kms:CancelKeyDeletion", "kms:EnableKey")) {
                for (boolean withStatement : List.of(false, true)) {
                    String name = role + " " + action + (withStatement ? " with" : " without") + " the statement";
                    expected.put(name, withStatement ? "Allowed" : "ImplicitlyDenied");
                    cases.add(new Case(name, new Request(roleArn(role), action, key), new Policies(
                            List.of(resolved.rolePolicy(role)), scps,
                            withStatement ? keyPolicy(owner, statement) : keyPolicy(owner))));
                }
            }
        }

        assertThat(IamSimulator.decide(cases)).isEqualTo(expected);
    }

    /** The member role's trust policy: who may assume it (AssumeRolePolicyDocument is the role's resource policy). */
    private static JsonNode memberTrust() {
        return member.resolve(Template.map(memberTemplate.resource("MemberRole").get("Properties")).get("AssumeRolePolicyDocument"));
    }

    @Test
    void memberRole_shouldBeAssumable_onlyByTheSecurityStacksRoles() throws Exception {
        String memberRole = member.sub("${MemberRole.Arn}", Map.of());
        assertThat(memberRole).isEqualTo("arn:aws:iam::" + MEMBER_ACCOUNT + ":role/ddb-warden/" + MEMBER_ROLE);
        Map<String, String> callers = Map.of(
                "the security stack's sweep role", roleArn("SweepRegionRole"),
                "another role of the security account", "arn:aws:iam::" + ACCOUNT + ":role/ci-deployer",
                "a role of another member account", "arn:aws:iam::333333333333:role/ddb-warden/" + TemplateValues.STACK_NAME + "-SweepRegionRole-X",
                "a role of the security account named like the stack's but outside its path", "arn:aws:iam::" + ACCOUNT + ":role/" + TemplateValues.STACK_NAME + "-SweepRegionRole-X");
        List<Case> cases = new ArrayList<>();
        JsonNode allowAll = JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}");
        callers.forEach((who, arn) -> cases.add(new Case(who, new Request(arn, "sts:AssumeRole", memberRole, Map.of()),
                new Policies(List.of(allowAll), scps, memberTrust()))));

        assertThat(IamSimulator.decide(cases)).hasSize(4).allSatisfy((name, result) ->
                assertThat(result.equals("Allowed")).as("%s: %s", name, result).isEqualTo(name.startsWith("the security stack's")));
    }

    /** member.yaml as a StackSet deploys it in a member account, naming this security account and stack. */
    private static ResolvedTemplate memberStack(String findings) {
        return new ResolvedTemplate(memberTemplate, Map.of("SecurityAccountId", ACCOUNT, "SecurityStackName", TemplateValues.STACK_NAME,
                "MemberRoleName", MEMBER_ROLE, "SecurityHubFindings", findings, "AllowedRegions", String.join(",", ALLOWED)), HOME,
                MEMBER_ACCOUNT, "ddb-warden-member");
    }

    /** A row about the security account's own resources (ledger, topics, queues, logs, settings, the sweep). */
    private static final Pattern HOME_RESOURCE = Pattern.compile("AlertTopic|ChatTopic|AlertKey|Ledger|Queue|log-group|:parameter|"
            + "stateMachine|SweepTarget|:role/ddb-warden/");

    /**
     * Every call documented-actions.md lists for the function roles on a resource of the event's account is made in a
     * member account through its member role: the member role, as a StackSet deploys member.yaml there, may make each
     * with every action AWS documents for it, on that member's resource (and no statement of it is left unused:
     * MemberTemplateTest holds it to the function roles' member-side actions, TemplateContractTest those to the code).
     */
    @Test
    void memberRole_shouldBeAllowedEveryDocumentedActionOfTheCallsMadeInAMember() throws Exception {
        String memberRole = member.sub("${MemberRole.Arn}", Map.of());
        JsonNode memberKey = keyPolicy(DEFAULT_KEY_STATEMENT.replace(ACCOUNT, MEMBER_ACCOUNT));
        Set<String> acting = new TreeSet<>(List.of("SweepRegionRole"));
        Rules.all().forEach(rule -> acting.add(TemplateContractTest.roleOf(template, rule)));
        List<Case> cases = new ArrayList<>();
        for (Row row : rows()) {
            // The sweep's account list and the settings' OUs are asked of AWS Organizations from the security account.
            if (row.actions().isEmpty() || HOME_RESOURCE.matcher(row.resource()).find() || row.roles().stream().noneMatch(acting::contains)
                    || row.actions().contains("organizations:ListAccounts") || row.actions().contains("organizations:ListParents")) {
                continue;
            }
            String[] parts = row.resource().split(" with ", 2);
            String resource = member.sub(parts[0], Map.of("ForbiddenRegion", FORBIDDEN));
            Map<String, Object> context = parts.length == 1 ? Map.of()
                    : Map.of(parts[1].split("=", 2)[0], member.sub(parts[1].split("=", 2)[1], Map.of()));
            for (String action : row.actions()) {
                cases.add(new Case("member role " + action + " on " + resource + " (" + row.call() + ")",
                        new Request(memberRole, action, resource, context), new Policies(List.of(member.rolePolicy("MemberRole")), scps,
                        resource.contains(":kms:") && resource.contains(":key/") ? memberKey : null)));
            }
        }

        assertThat(cases).hasSizeGreaterThan(40);
        assertThat(IamSimulator.decide(cases)).allSatisfy((name, result) -> assertThat(result).as(name).isEqualTo("Allowed"));
    }

    /** As the region guard's role: in an allowed region the member role may remove no replica, by its policy or the SCPs alone. */
    @Test
    void memberRole_shouldRemoveNoReplicaInAnAllowedRegion_byItsPolicyOrTheScpsEachAlone() throws Exception {
        String memberRole = member.sub("${MemberRole.Arn}", Map.of());
        List<Case> cases = new ArrayList<>();
        for (String region : ALLOWED) {
            Request delete = new Request(memberRole, "dynamodb:DeleteTable", "arn:aws:dynamodb:" + region + ":" + MEMBER_ACCOUNT + ":table/orders",
                    Map.of("aws:RequestedRegion", region));
            cases.add(new Case("in " + region + " by its policy", delete, new Policies(List.of(member.rolePolicy("MemberRole")), List.of(), null)));
            cases.add(new Case("in " + region + " by the SCPs", delete, new Policies(List.of(ALLOW_ALL), scps, null)));
        }

        assertThat(IamSimulator.decide(cases)).hasSize(4).allSatisfy((name, result) -> assertThat(result).as(name).isEqualTo("ExplicitlyDenied"));
    }

    /**
     * The alert channels are opt-in, and so are their grants: with SecurityHubFindings and ChatNotifications false (the
     * default) no role may import a finding or publish to the chat topic, in the security account or through a member
     * role; with them true every role documented-actions.md names for those calls may.
     */
    @Test
    void alertChannelGrants_shouldExistOnlyWhileOptedIn() throws Exception {
        List<Row> channels = rows().stream().filter(row -> row.actions().contains("securityhub:BatchImportFindings")
                || row.resource().equals("${ChatTopic}")).toList();
        assertThat(channels).hasSize(2);
        Map<String, String> expected = new LinkedHashMap<>();
        List<Case> cases = new ArrayList<>();
        for (String on : List.of("true", "false")) {
            ResolvedTemplate stack = new ResolvedTemplate(template, Map.of("AllowedRegions", String.join(",", ALLOWED), "MemberRoleName",
                    MEMBER_ROLE, "SecurityHubFindings", on, "ChatNotifications", on), HOME, ACCOUNT, TemplateValues.STACK_NAME);
            for (Row row : channels) {
                String resource = stack.sub(row.resource(), Map.of());
                for (String role : row.roles()) {
                    String name = role + " " + row.actions().get(0) + " with the channels " + on;
                    expected.put(name, on.equals("true") ? "Allowed" : "ImplicitlyDenied");
                    cases.add(new Case(name, new Request(roleArn(role), row.actions().get(0), resource),
                            new Policies(List.of(stack.rolePolicy(role)), scps, null)));
                }
            }
            ResolvedTemplate there = memberStack(on);
            String name = "the member role imports a finding with SecurityHubFindings " + on;
            expected.put(name, on.equals("true") ? "Allowed" : "ImplicitlyDenied");
            cases.add(new Case(name, new Request(there.sub("${MemberRole.Arn}", Map.of()), "securityhub:BatchImportFindings",
                    "arn:aws:securityhub:eu-west-1:" + MEMBER_ACCOUNT + ":product/" + MEMBER_ACCOUNT + "/default"),
                    new Policies(List.of(there.rolePolicy("MemberRole")), scps, null)));
        }

        assertThat(expected).hasSizeGreaterThan(60);
        assertThat(IamSimulator.decide(cases)).isEqualTo(expected);
    }

    /**
     * The home bus takes events from the Organization's member forwarders alone. EventBridge sends a member's events
     * with the role its rule's target names (forwarder.yaml's ForwardRole, which an organization-wide grant requires:
     * AWS::Events::EventBusPolicy), so the PutEvents is signed by that role, and aws:PrincipalArn is the role's ARN
     * (AWS global condition context keys): a forwarder of the Organization is admitted; a role of the Organization
     * outside /ddb-warden/, a /ddb-warden/ role of another organization, or of no organization, is not.
     */
    @Test
    void homeBus_shouldTakeEventsOnlyFromTheOrganizationsForwarders() throws Exception {
        String org = "o-a1b2c3d4e5";
        ResolvedTemplate home = new ResolvedTemplate(template, Map.of("MemberRoleName", MEMBER_ROLE, "OrganizationId", org), HOME,
                ACCOUNT, TemplateValues.STACK_NAME);
        JsonNode busPolicy = JSON.createObjectNode().put("Version", "2012-10-17").set("Statement", JSON.createArrayNode()
                .add(home.resolve(Template.map(template.resource("MemberForwarders").get("Properties")).get("Statement"))));
        String bus = "arn:aws:events:" + HOME + ":" + ACCOUNT + ":event-bus/default";
        ResolvedTemplate forwarder = new ResolvedTemplate(Template.read(Project.ROOT.resolve("forwarder.yaml")), Map.of("HomeRegion", HOME,
                "HomeAccountId", ACCOUNT), "eu-west-1", MEMBER_ACCOUNT, "StackSet-ddb-warden-forwarder-0a1b2c3d");
        String forwardRole = forwarder.sub("${ForwardRole.Arn}", Map.of());
        assertThat(forwardRole).startsWith("arn:aws:iam::" + MEMBER_ACCOUNT + ":role/ddb-warden/");
        JsonNode forwardPolicy = forwarder.rolePolicy("ForwardRole");
        Map<String, List<Object>> callers = new LinkedHashMap<>();
        callers.put("a member's forwarder", List.of(forwardRole, org, forwardPolicy));
        callers.put("a member's role outside /ddb-warden/", List.of("arn:aws:iam::" + MEMBER_ACCOUNT + ":role/ci-deployer", org, ALLOW_ALL));
        callers.put("a forwarder of another organization", List.of("arn:aws:iam::333333333333:role/ddb-warden/x-ForwardRole-AbC", "o-zz9y8x7w6v", ALLOW_ALL));
        callers.put("a forwarder of an account in no organization", List.of("arn:aws:iam::444444444444:role/ddb-warden/x-ForwardRole-AbC", "", ALLOW_ALL));
        List<Case> cases = new ArrayList<>();
        callers.forEach((who, caller) -> cases.add(new Case(who, new Request(String.valueOf(caller.get(0)), "events:PutEvents", bus,
                String.valueOf(caller.get(1)).isEmpty() ? Map.of() : Map.of("aws:PrincipalOrgID", caller.get(1))),
                new Policies(List.of((JsonNode) caller.get(2)), List.of(), busPolicy))));

        assertThat(IamSimulator.decide(cases)).hasSize(4).allSatisfy((name, result) ->
                assertThat(result.equals("Allowed")).as("%s: %s", name, result).isEqualTo(name.equals("a member's forwarder")));
    }

    private static String roleArn(String role) {
        return resolved.sub("${" + role + ".Arn}", Map.of());
    }

    private static String table(String region) {
        return "arn:aws:dynamodb:" + region + ":" + ACCOUNT + ":table/orders";
    }

    private static String rule(String name) {
        return "arn:aws:events:" + HOME + ":" + ACCOUNT + ":rule/" + name;
    }
}
