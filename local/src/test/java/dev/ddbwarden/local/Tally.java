package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.event.Excerpt;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one fault scenario saw: the violations the handlers reported (one per rule, table and CloudTrail
 * event, as the ledger keys them), what became of each, every exception a handler threw, and notes.
 */
final class Tally {
    /** Exceptions the pipeline throws on purpose so that Lambda retries (state not visible yet, resource busy, moved). */
    private static final Set<String> RETRY_SIGNALS = Set.of("StillLeased", "StateNotVisible", "ResourceBusy", "StateMoved");
    private static final Pattern RULE = Pattern.compile("(?m)^  Rule: (.*)$");
    private static final Pattern TABLE_ARN = Pattern.compile("(?m)^  Table ARN: (.*)$");
    /** What the watcher's alerts name instead of a table. */
    private static final Pattern RESOURCE = Pattern.compile("(?m)^  Resource: (.*)$");
    private static final Pattern EVENT_ID = Pattern.compile("(?m)^  CloudTrail event ID: (.*)$");

    final String scenario;
    /** Violation key to the action the handler reported (FIXED, ALERTED, TUG_OF_WAR, ...). */
    final Map<String, String> violations = new ConcurrentHashMap<>();
    /** Violation key to its severity. */
    final Map<String, String> severities = new ConcurrentHashMap<>();
    /** Event ID to what each invocation for it returned, to explain a loss. */
    final Map<String, List<String>> outcomes = new ConcurrentHashMap<>();
    final LongAdder invocations = new LongAdder();
    final LongAdder failedInvocations = new LongAdder();
    final LongAdder awsErrors = new LongAdder();
    final LongAdder retrySignals = new LongAdder();
    final LongAdder overTimeout = new LongAdder();
    final LongAdder sentToFailureQueue = new LongAdder();
    final LongAdder sentToDeadLetterQueue = new LongAdder();
    final AtomicInteger crashes = new AtomicInteger();
    final List<String> crashSamples = Collections.synchronizedList(new ArrayList<>());
    final List<String> retrySamples = Collections.synchronizedList(new ArrayList<>());
    /** The first few exceptions handlers threw, whatever they were. */
    final List<String> failureSamples = Collections.synchronizedList(new ArrayList<>());
    /** Inputs that crashed a handler, in full, so that a crash can be replayed. */
    final List<String> crashInputs = Collections.synchronizedList(new ArrayList<>());
    final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    final List<String> failedChecks = Collections.synchronizedList(new ArrayList<>());
    int events;
    /** Violations the corpus called for, or -1 where nothing says what to expect (then: those reported). */
    int violationsExpected = -1;
    Set<String> alertKeys = Set.of();
    int alerts;
    int duplicates;
    int lost;
    long millis;

    Tally(String scenario) {
        this.scenario = scenario;
    }

    /** Records what a handler returned: every result that carries a severity is a violation. */
    void result(JsonNode result) {
        if (result == null) {
            return;
        }
        if (result.has("records")) {
            result.get("records").forEach(this::result);
            return;
        }
        String eventId = result.path("eventId").asText("");
        if (!eventId.isEmpty()) {
            outcomes.computeIfAbsent(eventId, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(result.path("results").toString());
        }
        for (JsonNode each : result.path("results")) {
            String severity = each.path("severity").asText("");
            if (!severity.isEmpty()) {
                String key = key(each.path("rule").asText(), each.path("table").asText(), eventId);
                violations.merge(key, each.path("action").asText(), (old, now) -> old.equals("FIXED") ? old : now);
                severities.put(key, severity);
            }
        }
    }

    /**
     * A violation's key, its names written as an alert quotes them (Excerpt.line: invisible and control
     * characters escaped), so that a handler's result and its alert meet on the same key.
     */
    static String key(String rule, String tableArn, String eventId) {
        return rule + " " + Excerpt.line(tableArn) + " " + Excerpt.line(eventId);
    }

    /** The violation an alert is about, read from the lines every alert body carries. */
    static String alertKey(String body) {
        String subject = find(TABLE_ARN, body);
        return key(find(RULE, body), subject.equals("?") ? find(RESOURCE, body) : subject, find(EVENT_ID, body));
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1).trim() : "?";
    }

    /** Classifies what a handler threw; returns true when it is a crash (neither an AWS error nor a retry signal). */
    boolean threw(Throwable thrown, String context) {
        failedInvocations.increment();
        if (failureSamples.size() < 6) {
            failureSamples.add(context + ": " + thrown.getClass().getSimpleName() + ": " + String.valueOf(thrown.getMessage())
                    .lines().findFirst().orElse(""));
        }
        if (isAwsError(thrown)) {
            awsErrors.increment();
            return false;
        }
        if (RETRY_SIGNALS.contains(thrown.getClass().getSimpleName())) {
            retrySignals.increment();
            if (retrySamples.size() < 3) {
                retrySamples.add(context + ": " + thrown.getClass().getSimpleName() + ": " + thrown.getMessage());
            }
            return false;
        }
        crash(thrown, context);
        return true;
    }

    void crash(Throwable thrown, String context) {
        crashes.incrementAndGet();
        if (crashSamples.size() < 5) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            String[] lines = trace.toString().split("\n");
            crashSamples.add(context + ": " + String.join("\n      ", java.util.Arrays.copyOf(lines, Math.min(lines.length, 8))));
        }
    }

    static boolean isAwsError(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SdkException) {
                return true;
            }
        }
        return false;
    }

    int violationCount() {
        return violationsExpected >= 0 ? violationsExpected : violations.size();
    }

    int fixed() {
        return (int) violations.values().stream().filter("FIXED"::equals).count();
    }

    void note(String text) {
        notes.add(text);
    }

    void check(boolean ok, String failure) {
        if (!ok) {
            failedChecks.add(failure);
        }
    }

    boolean passed() {
        return duplicates == 0 && lost == 0 && crashes.get() == 0 && failedChecks.isEmpty();
    }
}
