package dev.ddbwarden.watcher;

import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.EventTime;
import dev.ddbwarden.event.Excerpt;

import java.util.LinkedHashMap;
import java.util.Map;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.Subject;

/**
 * The watcher's alerts: someone blinded or disarmed ddb-warden. Beside {@link AlertComposer}, whose
 * alerts are about tables; this one names any resource and fixes nothing. Pure. The names it quotes are
 * bounded where the watcher fills them in; the call's own fields are bounded here.
 */
public final class TamperingComposer {
    /** A name cut shorter than this says nothing; the end of the line is cut instead. */
    private static final int MIN_KEPT = 8;

    private TamperingComposer() {
    }

    public static Alert compose(Tampering tampering, ApiCall call) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("severity", tampering.severity().name());
        attributes.put("rule", Tampering.RULE);
        attributes.put("account", call.accountId());
        attributes.put("region", call.region());
        return new Alert(subject(tampering, call.region()), body(tampering, call), attributes);
    }

    /**
     * {@code [CRITICAL] ddb-warden watcher: <what> (<region>)}, under SNS's 100 characters, ASCII only
     * (some subscribers take nothing else). Severity and region always fit; what happened is shortened.
     */
    static String subject(Tampering tampering, String region) {
        String head = "[" + tampering.severity() + "] ddb-warden " + Tampering.RULE + ": ";
        String tail = " (" + Subject.ascii(region) + ")";
        return head + fit(Subject.ascii(tampering.what()), Subject.MAX - head.length() - tail.length()) + tail;
    }

    /**
     * The text within {@code room} characters: its longest word (the resource's name, as a rule) is cut in
     * the middle first, so that what kind of resource it is and what happened to it stay readable.
     */
    static String fit(String text, int room) {
        if (text.length() <= room) {
            return text;
        }
        String[] words = text.split(" ", -1);
        int longest = 0;
        for (int i = 1; i < words.length; i++) {
            if (words[i].length() > words[longest].length()) {
                longest = i;
            }
        }
        String word = words[longest];
        int keep = word.length() - (text.length() - room) - Subject.ELLIPSIS.length();
        if (keep >= MIN_KEPT) {
            int front = (keep + 1) / 2;
            words[longest] = word.substring(0, front) + Subject.ELLIPSIS
                    + word.substring(word.length() - (keep - front));
            return String.join(" ", words);
        }
        return text.substring(0, Math.max(0, room - Subject.ELLIPSIS.length())) + Subject.ELLIPSIS;
    }

    private static String body(Tampering tampering, ApiCall call) {
        StringBuilder text = new StringBuilder();
        text.append("ddb-warden watcher: ").append(tampering.what()).append(".\n");
        text.append(tampering.why()).append("\n\n");
        line(text, "Severity", tampering.severity().name());
        line(text, "Rule", Tampering.RULE);
        line(text, "Resource", tampering.resource());
        line(text, "Account", call.accountId());
        line(text, "Region", call.region());
        if (tampering.byDeployer()) {
            text.append("\n  LOW: the call was made by ddb-warden's deployment role (DeploymentRoleArn), as a deployment\n")
                    .append("  does. If nobody deployed ddb-warden at this time, treat it as CRITICAL.\n");
        }

        text.append("\nWho made the call\n");
        line(text, "Actor", call.actor().describe());
        line(text, "Source IP", orUnknown(Excerpt.line(call.sourceIp())));
        line(text, "User agent", orUnknown(Excerpt.line(call.userAgent())));
        line(text, "When", EventTime.text(call.eventTime()));
        line(text, "Call", Excerpt.line(call.eventName()) + " (" + Excerpt.line(call.eventSource()) + ") in "
                + call.region());
        line(text, "CloudTrail event ID", Excerpt.line(call.eventId()));

        text.append("\nHow to check\n  ").append(tampering.check()).append('\n');
        text.append("\nHow to undo\n  ").append(tampering.undo()).append('\n');

        text.append("\nThis alert cannot be exempted or turned off by notify mode: ddb-warden changed nothing, and\n");
        text.append("the ledger keeps it under the event ID above.\n");
        return text.toString();
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append("  ").append(label).append(": ").append(value).append('\n');
    }

    private static String orUnknown(String value) {
        return value.isEmpty() ? "(not recorded)" : value;
    }
}
