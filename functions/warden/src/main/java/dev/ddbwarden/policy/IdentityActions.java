package dev.ddbwarden.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which of some IAM actions a principal's identity policies allow (the dax rule: may a DAX cluster's role write to
 * DynamoDB?). Read as IAM reads them: actions and NotAction matched ignoring case with {@code *} and {@code ?}; a
 * Deny removes an action only when it holds everywhere (no Condition, Resource {@code *}), since a narrower Deny leaves
 * the action allowed somewhere; an Allow counts whatever its Resource and Condition, since on some resource, some
 * time, it allows. So the answer errs towards allowing: it may report an action a permissions boundary or an SCP
 * still stops, never miss one a policy grants. Pure; the caller reads the policies.
 */
public final class IdentityActions {

    private IdentityActions() {
    }

    /**
     * What the policies allow of {@code candidates}, in the candidates' order, and the policies that could not be read.
     *
     * @param policies each policy's name (for the answer) and its JSON text
     */
    public static Allowed allowed(List<Named> policies, List<String> candidates) {
        Set<String> allowed = new LinkedHashSet<>();
        Set<String> denied = new LinkedHashSet<>();
        List<String> unreadable = new ArrayList<>();
        List<String> grantedBy = new ArrayList<>();
        for (Named policy : policies) {
            PolicyDocument document;
            try {
                document = PolicyDocument.parse(policy.json());
            } catch (PolicyDocument.Unreadable e) {
                unreadable.add(policy.name() + " (" + e.getMessage() + ")");
                continue;
            }
            boolean grants = false;
            for (PolicyDocument.Statement statement : document.statements()) {
                String effect = text(statement.node(), "Effect");
                Set<String> matched = matched(statement.node(), candidates);
                if ("Allow".equalsIgnoreCase(effect) && !matched.isEmpty()) {
                    allowed.addAll(matched);
                    grants = true;
                } else if ("Deny".equalsIgnoreCase(effect) && everywhere(statement.node())) {
                    denied.addAll(matched);
                }
            }
            if (grants) {
                grantedBy.add(policy.name());
            }
        }
        allowed.removeAll(denied);
        List<String> ordered = candidates.stream().filter(allowed::contains).toList();
        return new Allowed(ordered, ordered.isEmpty() ? List.of() : grantedBy, unreadable);
    }

    /** A policy by the name the answer gives it (an inline policy's name, a managed policy's ARN). */
    public record Named(String name, String json) {
    }

    /**
     * @param actions    the candidates allowed
     * @param grantedBy  the policies with an Allow among them (empty when nothing is allowed)
     * @param unreadable the policies that could not be judged, each with why
     */
    public record Allowed(List<String> actions, List<String> grantedBy, List<String> unreadable) {
        public Allowed {
            actions = List.copyOf(actions);
            grantedBy = List.copyOf(grantedBy);
            unreadable = List.copyOf(unreadable);
        }
    }

    private static Set<String> matched(JsonNode statement, List<String> candidates) {
        JsonNode action = PolicyNodes.field(statement, "Action");
        JsonNode notAction = PolicyNodes.field(statement, "NotAction");
        if (action != null) {
            List<Pattern> patterns = PolicyNodes.strings(action).stream().map(IdentityActions::glob).toList();
            return candidates.stream().filter(c -> patterns.stream().anyMatch(p -> p.matcher(c).matches()))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }
        if (notAction != null) {
            List<Pattern> patterns = PolicyNodes.strings(notAction).stream().map(IdentityActions::glob).toList();
            return candidates.stream().filter(c -> patterns.stream().noneMatch(p -> p.matcher(c).matches()))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }
        return Set.of();
    }

    /** A Deny with no Condition on every resource: it takes its actions away wherever the Allow gave them. */
    private static boolean everywhere(JsonNode statement) {
        return PolicyNodes.field(statement, "Condition") == null && PolicyNodes.field(statement, "NotResource") == null
                && PolicyNodes.strings(PolicyNodes.field(statement, "Resource")).contains("*");
    }

    private static String text(JsonNode statement, String name) {
        JsonNode node = PolicyNodes.field(statement, name);
        return node == null ? "" : node.asText();
    }

    private static Pattern glob(String action) {
        StringBuilder regex = new StringBuilder();
        for (char c : action.toLowerCase(Locale.ROOT).toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }
}
