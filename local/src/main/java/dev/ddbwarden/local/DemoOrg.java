package dev.ddbwarden.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.config.AccountAccess;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.SettingsSource;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.rules.Rules;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.ddbwarden.local.OrgEstate.CREATED;
import static dev.ddbwarden.local.OrgEstate.HOME;
import static dev.ddbwarden.local.OrgEstate.MEMBERS;
import static dev.ddbwarden.local.OrgEstate.ROLE;
import static dev.ddbwarden.local.OrgEstate.SHARED;
import static dev.ddbwarden.local.OrgEstate.STACKSET_ROLE;
import static dev.ddbwarden.local.OrgEstate.TURNED_OFF;
import static dev.ddbwarden.local.OrgEstate.UNSEEN;
import static dev.ddbwarden.local.OrgEstate.UNSEEN_IN;
import static dev.ddbwarden.local.OrgEstate.accounts;
import static dev.ddbwarden.local.OrgEstate.memberCredentials;

/**
 * {@code ./warden demo --org}: one moto_server as an Organization's security account and two member accounts (moto
 * gives AssumeRole's credentials the role's account and keeps each account's resources apart). member.yaml's role is
 * created in each member, the security account's functions get the members' risky calls and fix them through it,
 * and what each account then holds is read with that account's own credentials: its tables, its Security Hub
 * findings; the ledger and the alerts stay the security account's and name the member. Then the sweep walks the
 * three accounts. Exit status 0 only when every expectation below held. What it plays in, before anything is
 * delivered, is {@link OrgEstate}; this class is the walk-through: what it delivers, prints and expects.
 */
final class DemoOrg {
    private static final Map<String, String> PARAMETERS = new TreeMap<>(Map.of(
            "AllowedRegions", LocalAws.REGION,
            "MemberRoleName", ROLE,
            "SecurityHubFindings", "true"));
    private static final PrintStream OUT = System.out;

    private DemoOrg() {
    }

    static int run(Path root) throws Exception {
        Template template = Template.read(root.resolve("template.yaml"));
        EventRoutes routes = EventRoutes.of(template);
        ObjectMapper json = new ObjectMapper();
        List<String> failed = new ArrayList<>();
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        OUT.println("Starting moto_server on loopback: security account " + HOME + ", members " + String.join(", ", MEMBERS.keySet()));
        try (MotoServer moto = MotoServer.start(); LocalEstate home = pointedAt(moto)) {
            OrgEstate org = OrgEstate.build(root, home, PARAMETERS.get("SecurityHubFindings"));
            String topicArn = org.topicArn();
            Map<String, LocalEstate> members = org.members();
            Map<String, String> events = org.events();
            OUT.println("member.yaml's role /ddb-warden/" + ROLE + " created in each member, through " + STACKSET_ROLE);

            SettingsParameter parameter = SettingsParameter.of(template, new TemplateValues(template.parameters(),
                    PARAMETERS, LocalAws.REGION, HOME)).orElseThrow();
            parameter.putInto(home.ssm());
            Map<String, String> environment = Map.of(
                    EnvVar.SETTINGS_PARAMETER, parameter.name(),
                    EnvVar.ALERT_TOPIC_ARN, topicArn,
                    EnvVar.LEDGER_TABLE, LocalEstate.LEDGER,
                    EnvVar.STACK_NAME, TemplateValues.STACK_NAME);
            SettingsSource settings = SettingsSource.of(environment::get, home::ssm, Clock.systemUTC(), () -> { }, Rules.settingNames());
            AccountAccess.readNameFrom(() -> settings.current().settings());
            Map<String, RequestStreamHandler> handlers = Demo.handlers(template, Services.create(settings));
            OUT.println("Settings: " + PARAMETERS + "\n");

            OUT.println("Replaying the members' events through the security account's functions:");
            for (Map.Entry<String, String> each : events.entrySet()) {
                for (String function : routes.functionsFor(each.getValue())) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    handlers.get(function).handleRequest(new ByteArrayInputStream(each.getValue().getBytes()), out,
                            new LocalContext(function, 512, 60));
                    String outcome = Demo.outcome(json.readTree(out.toByteArray()));
                    if (!outcome.startsWith("COMPLIANT")) {
                        OUT.printf("  %-50s -> %s: %s%n", each.getKey(), function, outcome);
                    }
                }
            }

            OUT.println("\nEach member's tables, read with that member's credentials:");
            for (Map.Entry<String, LocalEstate> member : members.entrySet()) {
                LocalEstate estate = member.getValue();
                String created = protection(estate, CREATED);
                String turnedOff = protection(estate, TURNED_OFF);
                String shared = estate.policy(SHARED).map(Demo::statementIds).orElse("no policy");
                OUT.printf("  %s  %s: %s, %s: %s, %s: %s%n", member.getKey(), CREATED, created, TURNED_OFF, turnedOff, SHARED, shared);
                expect(failed, created.equals("protected"), member.getKey() + "'s " + CREATED + " protected");
                expect(failed, turnedOff.equals("protected"), member.getKey() + "'s " + TURNED_OFF + " protected");
                expect(failed, !shared.contains("EveryoneRead"), member.getKey() + "'s " + SHARED + " not public");
            }
            expect(failed, home.dynamo().listTables().tableNames().equals(List.of(LocalEstate.LEDGER)),
                    "no member table in the security account");

            List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> ledger = home.ledgerItems();
            OUT.println("\nThe security account's ledger: " + ledger.size() + " entries, those not COMPLIANT:");
            for (var item : ledger) {
                if (!text(item, "action").equals("COMPLIANT")) {
                    OUT.printf("  %-76s %s%n", item.get("subject").s(), text(item, "action"));
                }
            }
            List<JsonNode> alerts = home.drainAlerts();
            OUT.println("\nAlerts on the security account's topic: " + alerts.size());
            for (JsonNode alert : alerts) {
                OUT.println("  account " + alert.at("/MessageAttributes/account/Value").asText() + "  " + alert.path("Subject").asText());
            }
            for (String account : MEMBERS.keySet()) {
                expect(failed, ledger.stream().anyMatch(i -> i.get("subject").s().contains(":" + account + ":")),
                        "ledger entries naming " + account);
                expect(failed, alerts.stream().anyMatch(a -> account.equals(a.at("/MessageAttributes/account/Value").asText())),
                        "alerts naming " + account);
            }

            Map<String, String> actions = ledger.stream().collect(Collectors.toMap(i -> i.get("subject").s(), i -> text(i, "action")));
            OUT.println("\nSecurity Hub findings, read in each member account:");
            for (String account : MEMBERS.keySet()) {
                List<JsonNode> findings = LocalSecurityHub.findings(moto.endpoint(), memberCredentials(account), LocalAws.REGION);
                for (JsonNode finding : findings) {
                    String status = finding.at("/Compliance/Status").asText() + " " + finding.path("RecordState").asText();
                    String action = actions.getOrDefault(finding.path("Id").asText().replaceFirst("^ddb-warden/([^/]+)/", "$1#"), "");
                    OUT.printf("  %s  %-80s %s%n", finding.path("AwsAccountId").asText(), finding.path("Id").asText(), status);
                    // A fixed table's finding is archived as passed; one only alerted on stays open.
                    expect(failed, account.equals(finding.path("AwsAccountId").asText())
                            && status.equals(action.equals("FIXED") ? "PASSED ARCHIVED" : "FAILED ACTIVE"),
                            finding.path("Id").asText() + " " + status + " after " + action);
                }
                expect(failed, findings.stream().filter(f -> f.path("RecordState").asText().equals("ARCHIVED")).count()
                        == actions.entrySet().stream().filter(e -> e.getKey().contains(":" + account + ":") && e.getValue().equals("FIXED")).count(),
                        "a finding archived for each fix in " + account);
            }

            // The sweep reads the settings from its environment: the same parameter's, with the stack's resources.
            Map<String, String> sweepEnv = new LinkedHashMap<>(parameter.settings());
            sweepEnv.putAll(environment);
            LocalEstate unseen = members.get(UNSEEN_IN);
            for (String run : List.of("first", "second")) {
                OUT.println("\n./warden sweep --accounts " + String.join(",", MEMBERS.keySet()) + ", the " + run + " time:");
                ByteArrayOutputStream printed = new ByteArrayOutputStream();
                Path report = Files.createTempFile("warden-demo-org-sweep", ".json");
                int status = SweepCommand.run(List.of("--regions", LocalAws.REGION, "--accounts", String.join(",", MEMBERS.keySet()),
                        "--report", report.toString()), sweepEnv::get, new PrintStream(printed),
                        new PrintStream(OutputStream.nullOutputStream()), false);
                printed.toString().lines().filter(line -> line.matches("Sweep .*|  Report only.*"))
                        .forEach(line -> OUT.println("  " + line.strip().replaceFirst(" over ", "\n    over ")));
                expect(failed, status == 0, "the " + run + " sweep's exit status 0");
                JsonNode results = json.readTree(Files.readString(report)).path("results");
                Files.delete(report);
                for (String account : accounts()) {
                    List<JsonNode> rows = new ArrayList<>();
                    results.forEach(row -> {
                        if (row.path("arn").asText().split(":")[4].equals(account)) {
                            rows.add(row);
                        }
                    });
                    OUT.printf("    %s  %d tables, %s%n", account, rows.stream().map(r -> r.path("arn").asText()).distinct().count(),
                            rows.stream().filter(r -> !r.path("action").asText().equals("COMPLIANT"))
                                    .map(r -> r.path("table").asText() + " " + r.path("rule").asText() + " " + r.path("action").asText())
                                    .collect(Collectors.collectingAndThen(Collectors.joining("; "), t -> t.isEmpty() ? "all compliant" : t)));
                    expect(failed, !rows.isEmpty(), "the " + run + " sweep walking " + account);
                }
                OUT.println("  " + UNSEEN_IN + "'s " + UNSEEN + ": " + protection(unseen, UNSEEN));
                home.drainAlerts();
            }
            expect(failed, protection(unseen, UNSEEN).equals("protected"), UNSEEN_IN + "'s " + UNSEEN + " protected by the second sweep");
            members.values().forEach(LocalEstate::close);
        }
        OUT.println("moto_server stopped.");
        if (failed.isEmpty()) {
            OUT.println("Every expectation held.");
            return 0;
        }
        OUT.println("NOT as expected: " + String.join("; ", failed));
        return 1;
    }

    private static String protection(LocalEstate estate, String table) {
        return Boolean.TRUE.equals(estate.describe(table).deletionProtectionEnabled()) ? "protected" : "UNPROTECTED";
    }

    private static String text(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : "";
    }

    private static void expect(List<String> failed, boolean held, String expectation) {
        if (!held) {
            failed.add(expectation);
        }
    }

    private static LocalEstate pointedAt(MotoServer moto) {
        LocalAws.pointAt(moto.endpoint());
        return new LocalEstate();
    }
}
