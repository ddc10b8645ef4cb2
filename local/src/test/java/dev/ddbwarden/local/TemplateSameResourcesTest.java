package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.rules.Rules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The template written from one definition (issue 15: Fn::ForEach loops, Mappings, compact YAML) deploys the same
 * stack as the hand-written one before it: both, through LanguageExtensions and the SAM translator, give the same
 * resources (logical IDs, types), the same EventBridge patterns, the same IAM policies (statements compared as sets)
 * and the same other properties and outputs. Values are compared as CloudFormation evaluates them: an Fn::Sub whose
 * variables are literal is its text.
 */
class TemplateSameResourcesTest {
    /** template.yaml as it was before issue 15, the last hand-written one. */
    static final Path BEFORE = Project.ROOT.resolve("local/src/test/resources/template-history/before-issue-15.yaml");

    /**
     * The logical IDs of template.yaml's resources added since {@link #BEFORE}, one line per rule registered since:
     * its function, role, log group, re-check queue (a rule that may wait), alarms, and each EventBridge rule's
     * delivery alarm. The new template may add these, the resources SAM makes for an added function (named from
     * it: TtlFunctionCloudTrail, TtlFunctionAliaslive...), and list entries that name one of them (a queue in
     * WardenQueuesPolicy). Nothing else may differ but {@link #intendedDifference}.
     */
    private static final List<String> ADDED_RESOURCES = List.of(
            // PitrRole: its generated name must fit 64 characters beside the longest stack name README allows.
            "PointInTimeRecoveryFunction", "PitrRole", "PointInTimeRecoveryLogGroup", "PointInTimeRecoveryRecheckQueue",
            "PointInTimeRecoveryErrorsAlarm", "PointInTimeRecoveryThrottlesAlarm", "PointInTimeRecoveryRuleFailuresAlarm",
            "PointInTimeRecoveryRestoreJobRuleFailuresAlarm",
            "TtlFunction", "TtlRole", "TtlLogGroup", "TtlRecheckQueue", "TtlErrorsAlarm", "TtlThrottlesAlarm", "TtlRuleFailuresAlarm",
            "BackupGuardFunction", "BackupGuardRole", "BackupGuardLogGroup", "BackupGuardErrorsAlarm", "BackupGuardThrottlesAlarm",
            "BackupGuardRuleFailuresAlarm", "BackupGuardAwsBackupRuleFailuresAlarm",
            "TableKeyFunction", "TableKeyRole", "TableKeyLogGroup", "TableKeyRecheckQueue", "TableKeyErrorsAlarm",
            "TableKeyThrottlesAlarm", "TableKeyRuleFailuresAlarm",
            "EncryptionFunction", "EncryptionRole", "EncryptionLogGroup", "EncryptionRecheckQueue", "EncryptionErrorsAlarm",
            "EncryptionThrottlesAlarm", "EncryptionRuleFailuresAlarm", "EncryptionRestoreJobRuleFailuresAlarm",
            "EgressFunction", "EgressRole", "EgressLogGroup", "EgressRecheckQueue", "EgressErrorsAlarm", "EgressThrottlesAlarm",
            "EgressRuleFailuresAlarm", "EgressCopyJobRuleFailuresAlarm",
            // TableTags, not Tags: the tags rule's stem.
            "TableTagsFunction", "TableTagsRole", "TableTagsLogGroup", "TableTagsRecheckQueue", "TableTagsErrorsAlarm",
            "TableTagsThrottlesAlarm", "TableTagsRuleFailuresAlarm", "TableTagsRestoreJobRuleFailuresAlarm",
            "GuardrailsFunction", "GuardrailsRole", "GuardrailsLogGroup", "GuardrailsErrorsAlarm", "GuardrailsThrottlesAlarm",
            "GuardrailsRuleFailuresAlarm",
            "DaxFunction", "DaxRole", "DaxLogGroup", "DaxErrorsAlarm", "DaxThrottlesAlarm", "DaxRuleFailuresAlarm",
            "DaxIamRuleFailuresAlarm",
            "IamUsersFunction", "IamUsersRole", "IamUsersLogGroup", "IamUsersErrorsAlarm", "IamUsersThrottlesAlarm",
            "IamUsersRuleFailuresAlarm", "IamUsersDaxRuleFailuresAlarm", "IamUsersIamRuleFailuresAlarm",
            "PrivateNetworkFunction", "PrivateNetworkRole", "PrivateNetworkLogGroup", "PrivateNetworkRecheckQueue",
            "PrivateNetworkErrorsAlarm", "PrivateNetworkThrottlesAlarm", "PrivateNetworkRuleFailuresAlarm",
            // Issue 18: the function roles' grant to assume the member role of an Organization's accounts.
            "MemberRoleAssume", "MemberForwarders",
            // Issue 18's alert channels, granted only while opted in: Security Hub's import and the chat topic.
            "FindingsImport", "ChatPublish");
    /** Issue 18's alert channels: the chat topic (ChatNotifications), which every function is told. */
    private static final String CHAT_TOPIC = "ChatTopic";
    private static final JsonNode JSON_REF_CHAT_TOPIC = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
            .objectNode().put("Ref", CHAT_TOPIC);
    /** A reference to an added resource, or to one SAM made for an added function, in a resource's or entry's text. */
    private static final Pattern ADDED_REFERENCE = Pattern.compile("(?<![A-Za-z0-9])(?:" + ADDED_RESOURCES.stream()
            .map(id -> id.endsWith("Function") ? id + "[A-Za-z0-9]*" : id).collect(java.util.stream.Collectors.joining("|"))
            + ")(?![A-Za-z0-9])");

    private static final int LINES_PER_ADDED_RULE = 45;
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");
    private static JsonNode before;
    private static JsonNode after;

    @BeforeAll
    static void translate() throws Exception {
        List<JsonNode> translated = SamTranslation.translate(List.of(BEFORE, Project.TEMPLATE), Map.of());
        before = normalized(versionsUnhashed(translated.get(0)));
        after = normalized(versionsUnhashed(translated.get(1)));
    }

    /**
     * SAM names each published version by a hash of its function's code and configuration, so a function whose
     * configuration changed on purpose (RULE, its Handler) gets a new version ID: compared without the hash.
     */
    private static JsonNode versionsUnhashed(JsonNode translated) throws Exception {
        ObjectMapper json = new ObjectMapper();
        return json.readTree(json.writeValueAsString(translated).replaceAll("(\\w+FunctionVersion)[0-9a-f]{10}\\b", "$1"));
    }

    /**
     * Issue 15 held the stack of its day to 1,400 lines; issue 16's five rules were fitted inside them. From the tenth
     * rule on, a rule may add at most {@link #LINES_PER_ADDED_RULE} (its function, its role, one entry per list):
     * a rule costs a small block, not the 230 lines it did before issue 15.
     */
    @Test
    void template_shouldBeAtMost1400Lines_plusASmallBlockPerRuleAfterTheNinth() throws Exception {
        int limit = 1400 + LINES_PER_ADDED_RULE * Math.max(0, Rules.all().size() - 9);
        assertThat(Files.readAllLines(Project.TEMPLATE)).hasSizeLessThanOrEqualTo(limit);
    }

    @Test
    void everyResource_shouldBeThere_withItsType_andNothingElseButAddedRules() {
        Set<String> beforeIds = ids(before.path("Resources"));
        Set<String> afterIds = ids(after.path("Resources"));
        assertThat(afterIds).containsAll(beforeIds);
        assertThat(afterIds.stream().filter(id -> !beforeIds.contains(id)).filter(id -> !addedRule(id))
                .filter(id -> !CHAT_TOPIC.equals(id)).toList())
                .as("resources of no rule registered since").isEmpty();
        beforeIds.forEach(id -> assertThat(after.path("Resources").path(id).path("Type"))
                .as(id).isEqualTo(before.path("Resources").path(id).path("Type")));
        assertThat(beforeIds).hasSizeGreaterThan(100);
    }

    @Test
    void addedResources_shouldBeNamedExactly_notByARulesStem() {
        assertThat(ADDED_RESOURCES).allSatisfy(id -> {
            assertThat(after.path("Resources").has(id)).as("%s is in template.yaml", id).isTrue();
            assertThat(before.path("Resources").has(id)).as("%s is new", id).isFalse();
        });
        // names that merely contain an added rule's stem are not its resources
        assertThat(addedRule("{\"Sid\":\"TableKeyRead\"}")).isFalse();
        assertThat(addedRule("{\"Ref\":\"TtlTables\"}")).isFalse();
        assertThat(addedRule("{\"Ref\":\"BackupGuardRecheckQueue\"}")).isFalse();
        assertThat(addedRule("{\"Ref\":\"TtlRecheckQueue\"}")).isTrue();
        assertThat(addedRule("{\"Ref\":\"TtlFunctionAliaslive\"}")).isTrue();
    }

    @Test
    void everyResource_shouldHaveTheSameProperties_patterns_andPolicies() {
        List<String> differences = new ArrayList<>();
        before.path("Resources").fields().forEachRemaining(resource -> compare(resource.getKey(), resource.getValue(),
                after.path("Resources").path(resource.getKey()), differences));
        assertThat(differences).isEmpty();
    }

    @Test
    void everyOutput_shouldBeTheSame() {
        List<String> differences = new ArrayList<>();
        compare("Outputs", before.path("Outputs"), after.path("Outputs"), differences);
        assertThat(differences).isEmpty();
    }

    @Test
    void theComparison_shouldSeeAChangedPatternOrStatement() throws Exception {
        ObjectNode changed = after.deepCopy();
        ((ObjectNode) changed.at("/Resources/WatcherFunctionWatchKms/Properties/EventPattern/detail")).putArray("eventName").add("DisableKey");
        ((ArrayNode) changed.at("/Resources/PublicAccessRole/Properties/Policies/0/PolicyDocument/Statement")).remove(0);
        List<String> differences = new ArrayList<>();
        compare("Resources", after.path("Resources"), changed.path("Resources"), differences);
        assertThat(differences).hasSize(2);
    }

    /**
     * Differences made on purpose, each checked for what it may be: every rule function runs the one entry class
     * WardenHandler, told its rule by the variable RULE, which must name a registered rule (issue 15, section 1); the settings parameter gains lines (RuleModes, section 3, or a new rule's settings) and
     * keeps every line it had; the sweep, which applies every rule, gains an added rule's actions and keeps its own.
     */
    private static boolean intendedDifference(String where, JsonNode old, JsonNode now) {
        if (where.matches("[A-Za-z]+Function/Properties/Handler")) {
            return now.asText().matches("dev\\.ddbwarden\\.[a-z.]+\\.[A-Z]\\w*::handleRequest");
        }
        // Issue 18's alert channels: every function is told the chat topic, and the stack outputs it.
        if (where.matches("[A-Za-z]+Function/Properties/Environment/Variables/CHAT_TOPIC_ARN")) {
            return old.isMissingNode() && now.equals(JSON_REF_CHAT_TOPIC);
        }
        if (where.equals("Outputs/ChatTopicArn")) {
            return old.isMissingNode() && now.path("Value").equals(JSON_REF_CHAT_TOPIC);
        }
        if (where.matches("[A-Za-z]+Function/Properties/Environment/Variables/RULE")) {
            return old.isMissingNode() && Rules.byName(now.asText()).isPresent();
        }
        if (where.equals("SettingsParameter/Properties/Value/Fn::Join/1")) {
            return keeps(now, old);
        }
        if (!ADDED_RESOURCES.isEmpty() && where.matches("SweepRegionRole/Properties/Policies/0/PolicyDocument/Statement/\\d+/Action")) {
            return keeps(now, old);
        }
        // An added rule whose reads need actions on other resources (a rule's otherActions) gives the sweep a statement.
        if (!ADDED_RESOURCES.isEmpty() && where.equals("SweepRegionRole/Properties/Policies/0/PolicyDocument/Statement")) {
            java.util.Map<String, JsonNode> bySid = new java.util.HashMap<>();
            now.forEach(statement -> bySid.put(statement.path("Sid").asText(), statement));
            List<JsonNode> had = new ArrayList<>();
            old.forEach(had::add);
            return now.size() > old.size() && had.stream().allMatch(statement -> {
                JsonNode kept = bySid.get(statement.path("Sid").asText());
                return kept != null && without(kept, "Action").equals(without(statement, "Action"))
                        && keeps(kept.path("Action"), statement.path("Action"));
            });
        }
        // Issue 18: a function that judges a call by its account's settings may ask AWS Organizations for the account's
        // OUs (SETTINGS_OVERRIDES): one statement added, every other kept.
        if (where.matches("[A-Za-z]+Role/Properties/Policies/0/PolicyDocument/Statement")) {
            List<JsonNode> had = new ArrayList<>();
            old.forEach(had::add);
            List<JsonNode> added = new ArrayList<>();
            now.forEach(statement -> {
                if (!had.contains(statement)) {
                    added.add(statement);
                }
            });
            if (now.size() == had.size() + added.size() && !added.isEmpty() && added.stream().allMatch(statement ->
                    statement.path("Sid").asText().equals("SettingsOus")
                            && statement.path("Action").toString().equals("[\"organizations:ListParents\"]"))) {
                return true;
            }
        }
        // An added rule's re-check queue joins the queues only this stack's roles may send to.
        if (!ADDED_RESOURCES.isEmpty() && where.equals("WardenQueuesPolicy/Properties/Queues")) {
            return keeps(now, old);
        }
        // Issue 18: the sweep covers the Organization's accounts as a Distributed Map (SweepTemplateTest holds its
        // states), whose child executions its role starts; every statement it had, it keeps.
        if (where.equals("SweepStateMachine/Properties/DefinitionString/Fn::Join/1")) {
            return now.toString().contains("DISTRIBUTED");
        }
        if (where.equals("SweepStateMachine/Properties/DefinitionSubstitutions/SweepAccounts")) {
            return old.isMissingNode() && now.toString().contains("SweepAccounts");
        }
        if (where.equals("SweepStateMachineRole/Properties/Policies/0/PolicyDocument/Statement")) {
            return keeps(now, old) && now.size() == old.size() + 2;
        }
        if (!ADDED_RESOURCES.isEmpty() && where.equals("WardenQueuesPolicy/Properties/PolicyDocument/Statement")) {
            return now.size() == old.size() && java.util.stream.IntStream.range(0, old.size()).allMatch(i ->
                    withoutResource(now.get(i)).equals(withoutResource(old.get(i)))
                            && keeps(now.get(i).path("Resource"), old.get(i).path("Resource")));
        }
        return false;
    }

    private static JsonNode withoutResource(JsonNode statement) {
        return without(statement, "Resource");
    }

    private static JsonNode without(JsonNode statement, String field) {
        ObjectNode copy = statement.deepCopy();
        copy.remove(field);
        return copy;
    }

    private static boolean keeps(JsonNode now, JsonNode old) {
        List<JsonNode> kept = new ArrayList<>();
        now.forEach(kept::add);
        List<JsonNode> had = new ArrayList<>();
        old.forEach(had::add);
        return kept.containsAll(had);
    }

    private static void compare(String where, JsonNode old, JsonNode now, List<String> differences) {
        if (old.equals(now) || intendedDifference(where, old, now)) {
            return;
        }
        if (old.isObject() && now.isObject()) {
            Set<String> keys = new TreeSet<>();
            old.fieldNames().forEachRemaining(keys::add);
            now.fieldNames().forEachRemaining(keys::add);
            keys.forEach(key -> compare(where + "/" + key, old.path(key), now.path(key), differences));
            return;
        }
        if (old.isArray() && now.isArray()) {
            List<JsonNode> kept = new ArrayList<>();
            // A settings line names its parameter: lines are judged above, every old one kept.
            boolean settings = where.startsWith("SettingsParameter/");
            now.forEach(item -> {
                if (settings || !addedRule(item.toString()) && !addedKeyGrant(where, item)) {
                    kept.add(item);
                }
            });
            if (kept.size() == old.size()) {
                for (int i = 0; i < kept.size(); i++) {
                    compare(where + "/" + i, old.get(i), kept.get(i), differences);
                }
                return;
            }
        }
        differences.add(where + ": " + old + " became " + now);
    }

    /**
     * A sweep statement of its own for resources that are not tables: it grants only what added rules declare on KMS
     * keys (the keys that encrypt tables, and the table-key rule's), on keys only.
     */
    private static boolean addedKeyGrant(String where, JsonNode statement) {
        if (ADDED_RESOURCES.isEmpty() || !where.equals("SweepRegionRole/Properties/Policies/0/PolicyDocument/Statement")) {
            return false;
        }
        Set<String> keyActions = new TreeSet<>();
        Rules.all().forEach(rule -> keyActions.addAll(rule.otherActions()));
        List<String> actions = new ArrayList<>();
        statement.path("Action").forEach(action -> actions.add(action.asText()));
        return !actions.isEmpty() && keyActions.containsAll(actions) && statement.path("Resource").toString().contains(":key/*");
    }

    private static boolean addedRule(String text) {
        return ADDED_REFERENCE.matcher(text).find();
    }

    private static Set<String> ids(JsonNode resources) {
        Set<String> ids = new TreeSet<>();
        resources.fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    /** Fn::Sub with literal variables as its text, and every policy's statements in one order. */
    private static JsonNode normalized(JsonNode node) {
        if (node.isObject()) {
            if (node.size() == 1 && node.has("Fn::Sub")) {
                JsonNode text = substituted(node.get("Fn::Sub"));
                if (text != null) {
                    return text;
                }
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(field -> {
                JsonNode value = normalized(field.getValue());
                out.set(field.getKey(), field.getKey().equals("Statement") && value.isArray() ? sorted(value) : value);
            });
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> out.add(normalized(item)));
            return out;
        }
        return node;
    }

    /** The Fn::Sub's value: its text when no variable is left, else the Fn::Sub of that text; null if unchanged. */
    private static JsonNode substituted(JsonNode argument) {
        String text = argument.isArray() ? argument.get(0).asText() : argument.asText();
        if (argument.isArray()) {
            JsonNode variables = argument.get(1);
            Matcher matcher = SUB_VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                JsonNode value = variables.get(matcher.group(1));
                if (value != null && !value.isTextual()) {
                    return null;
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : value.asText()));
            }
            matcher.appendTail(out);
            text = out.toString();
        }
        if (!SUB_VARIABLE.matcher(text).find()) {
            return JsonNodeFactory.instance.textNode(text);
        }
        return JsonNodeFactory.instance.objectNode().put("Fn::Sub", text);
    }

    private static ArrayNode sorted(JsonNode statements) {
        List<JsonNode> all = new ArrayList<>();
        statements.forEach(all::add);
        all.sort(Comparator.comparing(JsonNode::toString));
        ArrayNode out = new ObjectMapper().createArrayNode();
        all.forEach(out::add);
        return out;
    }
}
