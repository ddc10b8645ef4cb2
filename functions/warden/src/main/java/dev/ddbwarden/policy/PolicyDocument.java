package dev.ddbwarden.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.event.JsonText;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A policy read together with where each statement sits in its text, so that statements are quoted
 * and removed as written: whatever the analysis does not touch stays byte for byte the same.
 */
final class PolicyDocument {
    private static final String STATEMENT = "Statement";
    // Duplicate keys are read differently by different parsers; a policy with any is not judged at all.
    private static final JsonFactory STRICT = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** One element of the Statement list, {@code start} and {@code end} bounding its text. */
    record Statement(int index, JsonNode node, int start, int end) {
    }

    /** Why a policy cannot be judged, in a sentence. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason);
        }
    }

    private final String json;
    private final List<Statement> statements;

    private PolicyDocument(String json, List<Statement> statements) {
        this.json = json;
        this.statements = statements;
    }

    static PolicyDocument parse(String json) throws Unreadable {
        if (json == null) {
            throw new Unreadable("there is no policy text");
        }
        try (JsonParser parser = STRICT.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Unreadable("the policy is not a JSON object");
            }
            List<Statement> statements = null;
            Set<String> names = new HashSet<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                requireUnique(names, name, "the policy");
                parser.nextToken();
                if (name.equalsIgnoreCase(STATEMENT)) {
                    statements = statements(parser);
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new Unreadable("text follows the policy object");
            }
            if (statements == null) {
                throw new Unreadable("the policy has no Statement");
            }
            return new PolicyDocument(json, statements);
        } catch (IOException e) {
            String detail = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
            throw new Unreadable("the policy is not valid JSON: " + detail);
        }
    }

    List<Statement> statements() {
        return statements;
    }

    String text(Statement statement) {
        return json.substring(statement.start(), statement.end());
    }

    /**
     * The policy text without the statements at {@code indexes}; empty when none would remain. The
     * kept statements are joined the way the first two were, so the layout of the list survives.
     */
    Optional<String> without(Set<Integer> indexes) {
        List<Statement> kept = statements.stream().filter(s -> !indexes.contains(s.index())).toList();
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        if (kept.size() == statements.size()) {
            return Optional.of(json);
        }
        // Only a list can lose some statements and keep others, so there are at least two here.
        String separator = json.substring(statements.get(0).end(), statements.get(1).start());
        String head = json.substring(0, statements.get(0).start());
        String tail = json.substring(statements.get(statements.size() - 1).end());
        return Optional.of(head + kept.stream().map(this::text).collect(Collectors.joining(separator)) + tail);
    }

    private static List<Statement> statements(JsonParser parser) throws IOException, Unreadable {
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            return List.of(statement(parser, 0));
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new Unreadable("Statement is neither an object nor a list");
        }
        List<Statement> statements = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new Unreadable("statement " + statements.size() + " is not an object");
            }
            statements.add(statement(parser, statements.size()));
        }
        return statements;
    }

    private static Statement statement(JsonParser parser, int index) throws IOException, Unreadable {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        JsonNode node = JsonText.readValue(parser);
        int end = (int) parser.currentLocation().getCharOffset();
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            requireUnique(names, it.next(), "statement " + index);
        }
        return new Statement(index, node, start, end);
    }

    // Element names are matched ignoring case, so "Principal" and "principal" together are ambiguous.
    private static void requireUnique(Set<String> seen, String name, String where) throws Unreadable {
        if (!seen.add(name.toLowerCase(Locale.ROOT))) {
            throw new Unreadable(where + " has the element " + name + " twice");
        }
    }
}
