package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.ledger.DynamoLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./warden sweep --accounts} over an Organization of three accounts (the security account and two members) x
 * two regions in one moto_server, the members' tables made with credentials from AssumeRole into each (moto keeps
 * them in that account). One member's role is missing: moto grants AssumeRole for any role, so STS is reached through
 * a loopback stub that speaks STS's wire protocol, answers that member's AssumeRole with the AccessDenied error STS
 * gives for a role it cannot assume, and passes every other call to moto_server unchanged. That account's failure is
 * counted and named, the other accounts are swept: the one in its first sweep only reports, the others fix.
 * EC2 is reached through the same stub, which passes DescribeRegions to moto_server and narrows moto's answer to the
 * regions enabled in the account whose credentials signed it (moto enables every region in every account): both at
 * home, us-east-1 alone in the member, so the member's regions are seen to come from its own call.
 */
class OrgSweepIT {
    private static final String HOME = "123456789012";
    private static final String MEMBER = "222222222222";
    private static final String ROLELESS = "333333333333";
    private static final String ROLE = "ddb-warden-remediator";
    private static final List<String> REGIONS = List.of(LocalAws.REGION, "eu-west-1");

    private Harness harness;
    private HttpServer sts;
    private final Set<String> askedFor = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The member's access keys, as moto's AssumeRole answers gave them through the stub. */
    private final Set<String> memberKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Who asked EC2 DescribeRegions: the member (by its keys), else home. */
    private final Set<String> regionsAskedBy = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeEach
    void setUp() throws Exception {
        harness = new Harness();
        sts = stsStub(harness.moto.endpoint());
    }

    @AfterEach
    void tearDown() {
        sts.stop(0);
        harness.close();
    }

    @Test
    void sweep_overThreeAccounts_shouldIsolateTheOneWhoseRoleIsMissing_andSweepTheOthers() throws Exception {
        // GIVEN one unprotected table in each region of each account, and a sweep of the security account before
        for (String account : List.of(HOME, MEMBER, ROLELESS)) {
            for (String region : REGIONS) {
                try (DynamoDbClient dynamo = dynamoIn(account, region)) {
                    dynamo.createTable(r -> r.tableName("orders-" + account).billingMode(BillingMode.PAY_PER_REQUEST)
                            .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                            .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
                }
            }
        }
        harness.estate.dynamo().updateTable(r -> r.tableName(LocalEstate.LEDGER).deletionProtectionEnabled(true));
        new DynamoLedger(harness.estate.dynamo(), LocalEstate.LEDGER, Clock.systemUTC()).markSwept("installed-earlier", HOME);

        // WHEN ./warden sweep walks the three accounts, each in the regions EC2 says are enabled in it
        WardenProcess.Run first = sweep();

        // THEN the roleless member, its regions unknown, failed in both of home's, named, and the run says so ...
        assertThat(first.status()).as(first.stderr()).isEqualTo(1);
        assertThat(askedFor).contains(ROLELESS, MEMBER);
        assertThat(regionsAskedBy).containsExactlyInAnyOrder(HOME, MEMBER);
        assertThat(first.stdout()).contains("Sweep ").contains("over 3 accounts x 2 regions")
                .contains(ROLELESS + "/us-east-1 was not swept to the end").contains(ROLELESS + "/eu-west-1 was not swept to the end");
        // ... the security account is fixed in both regions ...
        assertThat(protectedIn(HOME)).containsExactly(true, true);
        // ... the member in its first sweep only reported, in its one enabled region, and the roleless one was never touched
        assertThat(protectedIn(MEMBER)).containsExactly(false, false);
        assertThat(protectedIn(ROLELESS)).containsExactly(false, false);
        JsonNode summary = summary();
        assertThat(summary.path("Subject").asText()).contains("2 fixed, 2 failed");
        assertThat(summary.path("Message").asText())
                .contains("sweep  " + ROLELESS + "/us-east-1  PAGE_FAILED  1").contains("sweep  " + ROLELESS + "/eu-west-1  PAGE_FAILED  1")
                .contains("sweep  " + MEMBER + "  REPORT_ONLY  1");

        // WHEN it runs again
        WardenProcess.Run second = sweep();

        // THEN the member, swept before, is fixed now in the region enabled there only; the roleless one still fails alone
        assertThat(second.status()).as(second.stderr()).isEqualTo(1);
        assertThat(protectedIn(MEMBER)).containsExactly(true, false);
        assertThat(protectedIn(ROLELESS)).containsExactly(false, false);
        assertThat(summary().path("Subject").asText()).contains("1 fixed, 2 failed");
    }

    private WardenProcess.Run sweep() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("LEDGER_TABLE", LocalEstate.LEDGER);
        env.put("ALERT_TOPIC_ARN", harness.topicArn);
        env.put("ALLOWED_REGIONS", String.join(",", REGIONS));
        env.put("MEMBER_ROLE_NAME", ROLE);
        env.put("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + sts.getAddress().getPort());
        env.put("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:" + sts.getAddress().getPort());
        return WardenProcess.run(harness.moto.endpoint(), List.of("REMEDIATION_MODE", "SWEEP_REGIONS", "SWEEP_REPORT_ONLY",
                "SWEEP_MAX_FIXES", "SWEEP_ACCOUNTS", "POWERTOOLS_LOG_LEVEL"), env, Duration.ofSeconds(300),
                "sweep", "--accounts", MEMBER + "," + ROLELESS);
    }

    private JsonNode summary() throws Exception {
        return harness.estate.drainAlerts().stream().filter(a -> a.path("Subject").asText().contains("ddb-warden sweep:"))
                .reduce((a, b) -> b).orElseThrow();
    }

    private List<Boolean> protectedIn(String account) throws Exception {
        List<Boolean> found = new java.util.ArrayList<>();
        for (String region : REGIONS) {
            try (DynamoDbClient dynamo = dynamoIn(account, region)) {
                found.add(dynamo.describeTable(r -> r.tableName("orders-" + account)).table().deletionProtectionEnabled());
            }
        }
        return found;
    }

    /** A client in {@code account}: the test's own credentials at home, a member's from AssumeRole (moto's account). */
    private DynamoDbClient dynamoIn(String account, String region) {
        var builder = Clients.standard(DynamoDbClient.builder()).region(Region.of(region));
        if (!account.equals(HOME)) {
            try (StsClient client = Clients.standard(StsClient.builder()).build()) {
                Credentials c = client.assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/ddb-warden/" + ROLE)
                        .roleSessionName("org-sweep-it")).credentials();
                builder.credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())));
            }
        }
        return builder.build();
    }

    /**
     * STS and EC2 on loopback: AccessDenied for the roleless member's role, DescribeRegions' answer narrowed to the
     * signer's enabled regions, every other call passed to moto_server unchanged.
     */
    private HttpServer stsStub(String moto) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpClient http = HttpClient.newHttpClient();
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String form = URLDecoder.decode(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            int status;
            byte[] answer;
            String type = "text/xml";
            if (form.contains("Action=AssumeRole") && form.contains(":" + ROLELESS + ":role/")) {
                askedFor.add(ROLELESS);
                status = 403;
                answer = ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                        + "<Code>AccessDenied</Code><Message>User: arn:aws:sts::" + HOME + ":assumed-role/sweep/x is not authorized"
                        + " to perform: sts:AssumeRole on resource: arn:aws:iam::" + ROLELESS + ":role/ddb-warden/" + ROLE
                        + "</Message></Error><RequestId>4a5e2f7c-0000-4000-8000-000000000000</RequestId></ErrorResponse>")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                if (form.contains(":" + MEMBER + ":role/")) {
                    askedFor.add(MEMBER);
                }
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(moto + exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (Set.of("content-type", "authorization", "x-amz-date", "x-amz-security-token").contains(name.toLowerCase())) {
                        values.forEach(value -> forward.header(name, value));
                    }
                });
                try {
                    HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                    status = response.statusCode();
                    answer = response.body();
                    type = response.headers().firstValue("content-type").orElse(type);
                    String text = new String(answer, StandardCharsets.UTF_8);
                    if (form.contains("Action=AssumeRole") && form.contains(":" + MEMBER + ":role/")) {
                        Matcher key = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>").matcher(text);
                        while (key.find()) {
                            memberKeys.add(key.group(1));
                        }
                    }
                    if (form.contains("Action=DescribeRegions")) {
                        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                        boolean member = memberKeys.stream().anyMatch(k -> authorization.contains("Credential=" + k + "/"));
                        regionsAskedBy.add(member ? MEMBER : HOME);
                        List<String> enabled = member ? List.of(LocalAws.REGION) : REGIONS;
                        answer = Pattern.compile("<item>((?:(?!</item>).)*)</item>", Pattern.DOTALL).matcher(text).replaceAll(item -> {
                            Matcher name = Pattern.compile("<regionName>([^<]+)</regionName>").matcher(item.group(1));
                            return name.find() && enabled.contains(name.group(1)) ? Matcher.quoteReplacement(item.group()) : "";
                        }).getBytes(StandardCharsets.UTF_8);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.IOException(e);
                }
            }
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        return server;
    }
}
