package dev.ddbwarden.rules.guardrails;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.event.JsonText;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The policies ddb-warden ships in scp/, as the function knows them: each file's statements by Sid, with their
 * effect and actions (conditions and resources hold the customer's values, so they are not compared). The function
 * cannot read scp/ (sam build copies only functions/warden), so shipped-policies.json beside this class holds them,
 * and ShippedPoliciesTest holds that file to scp/*.json.
 */
final class ShippedPolicies {
    private static final String RESOURCE = "shipped-policies.json";
    /** Statements an alert lists in full; past that it counts the rest. */
    private static final int ACTIONS_SHOWN = 4;

    /** One shipped statement: {@code notAction} when it denies everything but {@code actions}. */
    record Statement(String sid, String effect, Set<String> actions, boolean notAction) {
        String describe() {
            List<String> shown = actions.stream().limit(ACTIONS_SHOWN).toList();
            String more = actions.size() > ACTIONS_SHOWN ? " and " + (actions.size() - ACTIONS_SHOWN) + " more" : "";
            return sid + " (" + ("Deny".equals(effect) ? "denies " : "allows ") + (notAction ? "all but " : "")
                    + String.join(", ", shown) + more + ")";
        }
    }

    /** @param file the file's name in scp/ without {@code .json} */
    record Policy(String file, List<Statement> statements) {
        String describe() {
            return String.join("; ", statements.stream().map(Statement::describe).toList());
        }
    }

    private final Map<String, Policy> byFile;

    ShippedPolicies(Map<String, Policy> byFile) {
        this.byFile = Map.copyOf(byFile);
    }

    /** The policies in this function's jar. */
    static ShippedPolicies load() {
        try (InputStream in = ShippedPolicies.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the function's jar");
            }
            return parse(JsonText.read(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ShippedPolicies parse(JsonNode files) {
        Map<String, Policy> byFile = new LinkedHashMap<>();
        files.fields().forEachRemaining(file -> {
            List<Statement> statements = new ArrayList<>();
            file.getValue().forEach(node -> statement(node).ifPresent(statements::add));
            byFile.put(file.getKey(), new Policy(file.getKey(), statements));
        });
        return new ShippedPolicies(byFile);
    }

    Map<String, Policy> all() {
        return byFile;
    }

    /** A statement as a policy document holds it, or empty when it is no statement ddb-warden can read. */
    static Optional<Statement> statement(JsonNode statement) {
        if (!statement.isObject()) {
            return Optional.empty();
        }
        boolean not = statement.has("NotAction");
        Set<String> actions = new TreeSet<>();
        JsonNode listed = statement.path(not ? "NotAction" : "Action");
        if (listed.isTextual()) {
            actions.add(listed.asText());
        } else {
            listed.forEach(action -> actions.add(action.asText()));
        }
        return Optional.of(new Statement(statement.path("Sid").asText(""), statement.path("Effect").asText(""),
                Set.copyOf(actions), not));
    }

    /** The shipped policy a guardrail's name names (the prefix, then the file's name), if any. */
    Optional<Policy> byName(String name, GuardedPolicies guarded) {
        return guarded.prefixes().stream().filter(name::startsWith).map(prefix -> byFile.get(name.substring(prefix.length())))
                .filter(Objects::nonNull).findFirst();
    }

    /** The shipped policy most of whose statements (by Sid) a document holds, if it holds any. */
    Optional<Policy> byContent(String content) {
        Set<String> sids = sids(content);
        return byFile.values().stream().filter(policy -> policy.statements().stream().anyMatch(s -> sids.contains(s.sid())))
                .max(Comparator.comparingLong(policy -> policy.statements().stream()
                        .filter(s -> sids.contains(s.sid())).count()));
    }

    /**
     * What a policy document no longer does of a shipped policy, one sentence a statement: a statement gone, no longer
     * a Deny, or denying fewer actions. Empty when every shipped statement is there with all its actions.
     */
    static List<String> weakened(Policy shipped, String content) {
        Map<String, Statement> now = new LinkedHashMap<>();
        document(content).ifPresent(doc -> statements(doc).forEach(node -> statement(node).ifPresent(s -> now.put(s.sid(), s))));
        List<String> changes = new ArrayList<>();
        for (Statement was : shipped.statements()) {
            Statement is = now.get(was.sid());
            if (is == null) {
                changes.add("statement " + was.describe() + " was removed");
            } else if (!was.effect().equals(is.effect())) {
                changes.add("statement " + was.sid() + " is now " + (is.effect().isEmpty() ? "without an effect" : is.effect())
                        + ", no longer " + was.effect());
            } else if (was.notAction() != is.notAction()) {
                changes.add("statement " + was.sid() + " now lists " + (is.notAction() ? "NotAction" : "Action")
                        + " where it listed " + (was.notAction() ? "NotAction" : "Action"));
            } else {
                List<String> lost = was.notAction()
                        ? is.actions().stream().filter(action -> !covered(action, was.actions())).toList()
                        : was.actions().stream().filter(action -> !covered(action, is.actions())).toList();
                if (!lost.isEmpty()) {
                    changes.add("statement " + was.sid() + " no longer denies " + String.join(", ", lost));
                }
            }
        }
        return changes;
    }

    private static Set<String> sids(String content) {
        Set<String> sids = new TreeSet<>();
        document(content).ifPresent(doc -> statements(doc).forEach(s -> sids.add(s.path("Sid").asText(""))));
        return sids;
    }

    private static Optional<JsonNode> document(String content) {
        try {
            return Optional.of(JsonText.read(content));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static List<JsonNode> statements(JsonNode document) {
        JsonNode statement = document.path("Statement");
        List<JsonNode> all = new ArrayList<>();
        if (statement.isArray()) {
            statement.forEach(all::add);
        } else if (statement.isObject()) {
            all.add(statement);
        }
        return all;
    }

    /** Whether {@code action} is among {@code actions}, IAM's wildcards and case-insensitivity counted. */
    static boolean covered(String action, Set<String> actions) {
        return actions.stream().anyMatch(pattern -> Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q")
                .replace("?", "\\E.\\Q"), Pattern.CASE_INSENSITIVE).matcher(action).matches());
    }
}
