package dev.ddbwarden.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ./warden deliver -e FILE [--env-vars FILE] [-t TEMPLATE] [--parameter-overrides ...]}: what ddb-warden
 * would do with one event. The event (an EventBridge event, or a CloudTrail record wrapped as CloudTrail hands it
 * to EventBridge: {@link EventEnvelope}) goes to every function whose rule pattern in the template matches it,
 * judged by event-ruler as {@code ./warden demo} judges, and each runs as {@code ./warden invoke} runs it.
 * Standard output says which rules matched and what each function did; the functions' logs go to standard error.
 * Exit status 0 when every function reached returned (reaching none is not an error), 1 when one failed or the
 * file holds no event.
 */
final class Deliver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Deliver() {
    }

    static int run(Path root, List<String> args) throws Exception {
        Options options = Options.parse(root, args);
        PrintStream out = System.out;
        EventEnvelope.Recognised recognised;
        try {
            recognised = EventEnvelope.recognise(Files.readString(options.event));
        } catch (IOException e) {
            System.err.println("warden deliver: cannot read " + options.event + ": " + e);
            return 1;
        } catch (EventEnvelope.Unreadable e) {
            System.err.println("warden deliver: " + options.event + " holds no event to deliver: " + e.getMessage());
            return 1;
        }
        Template template = Template.read(options.deployment.template);
        EventRoutes routes = EventRoutes.of(template, options.deployment.parameterOverrides);
        String event = recognised.event().toString();
        out.println(describe(recognised));

        Set<String> rules = routes.rulesFor(event);
        if (rules.isEmpty()) {
            out.println("No rule matched: EventBridge would deliver this event to no function of " + options.deployment.template
                    .getFileName() + ".");
            NearestRule.of(routes.patterns(), event).ifPresent(nearest -> {
                out.println("Closest: " + ruleLine(template, options, nearest.rule()) + ", " + nearest.held() + " of its "
                        + nearest.of() + " conditions hold; it fails on");
                nearest.failed().forEach(condition -> out.println("  " + NearestRule.describe(condition, recognised.event())));
            });
            return 0;
        }
        out.println("Matched " + rules.size() + (rules.size() == 1 ? " rule:" : " rules:"));
        Set<String> functions = new TreeSet<>();
        for (String rule : rules) {
            out.println("  " + ruleLine(template, options, rule));
            functions.add(rule.substring(0, rule.indexOf('/')));
        }
        out.flush();

        Path file = Files.createTempFile("warden-deliver-", ".json");
        try {
            Files.writeString(file, event);
            String classpath = HandlerClasspath.choose(root).value();
            int failed = 0;
            for (String function : functions) {
                if (!deliver(root, template, options, function, file, classpath, out)) {
                    failed++;
                }
            }
            out.println("Delivered to " + functions.size() + (functions.size() == 1 ? " function" : " functions") + ": "
                    + (functions.size() - failed) + " returned, " + failed + " failed");
            return failed == 0 ? 0 : 1;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs one function on the event and reports what it did; false when it did not return. */
    private static boolean deliver(Path root, Template template, Options options, String function, Path event,
                                   String classpath, PrintStream out) throws IOException, InterruptedException {
        FunctionSpec spec = template.function(function).orElseThrow();
        Map<String, String> environment = Invoke.environment(template, spec, options.deployment.parameterOverrides,
                options.deployment.envVars, System.getenv());
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        try (PrintStream result = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            status = Invoke.launch(root, spec, environment, event, classpath, result);
        }
        String text = captured.toString(StandardCharsets.UTF_8).strip();
        if (status != 0) {
            out.println(function + ": FAILED (exit status " + status + "; its log is on standard error): EventBridge would"
                    + " retry it, then send the event to the rule's dead-letter queue");
            return false;
        }
        out.println(function + ":");
        try {
            JsonNode result = JSON.readTree(text);
            Outcome.perTable(result).forEach(line -> out.println("  " + line));
        } catch (JsonProcessingException e) {
            out.println("  returned a result that is not JSON");
        }
        out.println("  result: " + text);
        return true;
    }

    private static String describe(EventEnvelope.Recognised recognised) {
        JsonNode event = recognised.event();
        JsonNode detail = event.path("detail");
        String what = detail.has("eventName")
                ? detail.path("eventName").asText() + " " + detail.path("eventID").asText("")
                : event.path("detail-type").asText();
        return "Event: " + what.strip() + " (" + recognised.form() + "; source " + event.path("source").asText()
                + ", detail-type \"" + event.path("detail-type").asText() + "\", account " + event.path("account").asText()
                + ", region " + event.path("region").asText() + ")";
    }

    /** {@code Function/Event} as the function's logical ID, its EventBridge rule's name and the template's event name. */
    private static String ruleLine(Template template, Options options, String rule) {
        String function = rule.substring(0, rule.indexOf('/'));
        String eventName = rule.substring(rule.indexOf('/') + 1);
        Map<String, Object> events = Template.map(Template.map(template.resource(function).get("Properties")).get("Events"));
        Object declared = Template.map(Template.map(events.get(eventName)).get("Properties")).get("RuleName");
        // Without a RuleName, SAM names the AWS::Events::Rule resource after the function and the event, and
        // CloudFormation derives the rule's name from that.
        String name = declared == null
                ? function + eventName + " (logical ID; CloudFormation names the rule)"
                : new TemplateValues(template.parameters(), options.deployment.parameterOverrides, LocalAws.REGION,
                        LocalAws.ACCOUNT).resolve(declared);
        return function + "  rule " + name + "  (event " + eventName + ")";
    }

    /** The command line, parsed. */
    static final class Options {
        Path event;
        DeploymentFlags deployment;

        static Options parse(Path root, List<String> args) {
            Options options = new Options();
            options.deployment = new DeploymentFlags(root);
            List<String> unexpected = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                int taken = options.deployment.take(args, i);
                if (taken >= 0) {
                    i = taken;
                } else if (arg.equals("-e") || arg.equals("--event")) {
                    options.event = Path.of(DeploymentFlags.value(args, ++i, arg));
                } else {
                    unexpected.add(arg);
                }
            }
            if (!unexpected.isEmpty()) {
                throw new UsageException("unexpected argument '" + unexpected.get(0) + "' (deliver takes no function: the"
                        + " template's patterns choose them)");
            }
            if (options.event == null) {
                throw new UsageException("name the event to deliver: -e FILE");
            }
            return options;
        }
    }
}
