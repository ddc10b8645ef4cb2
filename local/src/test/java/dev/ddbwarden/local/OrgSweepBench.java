package dev.ddbwarden.local;

import dev.ddbwarden.config.AccountAccess;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bench/sweep's accounts dimension ({@code --accounts 1,20}): for each count, a fresh moto_server estate of that many
 * accounts (the home one and members, whose tables are created with credentials from AssumeRole into each, which
 * moto keeps in that account) times {@link SweepBench#REGIONS} times {@code perRegion} tables, every other one
 * unprotected, then one sweep that fixes, walking every (account, region) as {@code ./warden sweep --accounts} does,
 * each member through the member role (MEMBER_ROLE_NAME, which bench/sweep sets). Prints ddb-warden's CPU per table
 * for each count side by side and their ratio: flat means about 1.
 */
final class OrgSweepBench {
    static final String HOME = "123456789012";
    private static final int PARALLEL = 4;

    private OrgSweepBench() {
    }

    record Row(int accounts, int tables, double createS, LocalSweep.Outcome outcome, Map<String, Integer> calls) {
        double cpuPerTableMs() {
            return outcome.cpu().toNanos() / 1e6 / tables;
        }

        double wallPerTableMs() {
            return outcome.wall().toNanos() / 1e6 / tables;
        }
    }

    static void run(PrintStream out, List<Integer> counts, int perRegion, int threads, Path outFile) throws Exception {
        out.println("bench/sweep --accounts " + counts + ": " + perRegion + " tables in each of " + SweepBench.REGIONS
                + " per account, every other one unprotected; members through the member role");
        out.flush();
        List<Row> rows = new ArrayList<>();
        try (MotoServer moto = MotoServer.start()) {
            LocalAws.pointAt(moto.endpoint());
            measure(moto, 1, 10, threads, LocalSweep.Listener.NONE);
            for (int count : counts) {
                out.printf("%d account(s): creating %,d tables%n", count, count * SweepBench.REGIONS.size() * perRegion);
                out.flush();
                Row row = measure(moto, count, perRegion, threads, new OrgSweepProgress(out, count, SweepBench.REGIONS.size()));
                rows.add(row);
                out.printf(Locale.ROOT, "  done: %d account(s), %,d tables (created in %.1f s, swept in %.1f s),"
                                + " warden CPU/table %.2f ms%n", count, row.tables, row.createS,
                        row.outcome.wall().toMillis() / 1000.0, row.cpuPerTableMs());
                out.flush();
            }
        }
        BenchTable.show(out, table(rows), outFile);
        System.exit(rows.stream().allMatch(r -> r.outcome.failed() == 0) ? 0 : 1);
    }

    static Row measure(MotoServer moto, int count, int perRegion, int threads, LocalSweep.Listener progress) throws Exception {
        moto.reset();
        String topicArn;
        try (LocalEstate home = new LocalEstate()) {
            topicArn = home.createAlertTopic();
            home.createLedger();
            home.dynamo().updateTable(r -> r.tableName(LocalEstate.LEDGER).deletionProtectionEnabled(true));
        }
        List<String> accounts = new ArrayList<>(List.of(HOME));
        for (int i = 1; i < count; i++) {
            accounts.add(String.format(Locale.ROOT, "%012d", 100_000_000_000L + i));
        }
        // The member role's name reaches AccountAccess through the settings, as in the functions and ./warden sweep.
        Settings settings = Settings.from(Map.of("ALERT_TOPIC_ARN", topicArn, "LEDGER_TABLE", LocalEstate.LEDGER,
                "ALLOWED_REGIONS", String.join(",", SweepBench.REGIONS),
                "MEMBER_ROLE_NAME", System.getenv().getOrDefault("MEMBER_ROLE_NAME", ""))::get);
        AccountAccess.readNameFrom(() -> settings);
        if (count > 1 && AccountAccess.instance().actsAsItself(accounts.get(1))) {
            throw new IllegalStateException("bench/sweep --accounts needs MEMBER_ROLE_NAME set (the script sets it)");
        }
        long start = System.nanoTime();
        create(accounts, perRegion, threads);
        double createS = (System.nanoTime() - start) / 1e9;
        // The sweep's threads begin no invocation: every call they make is counted as unattributed, by action.
        CallSpy spy = new CallSpy();
        LocalSweep sweep = new LocalSweep(spy.services(settings, Clock.systemUTC(), Sleeper.REAL), PARALLEL);
        accounts.forEach(account -> sweep.sweeper().ledger().markSwept("bench-installed", account));
        LocalSweep.Outcome outcome = sweep.run(accounts, SweepBench.REGIONS, false, 10_000, progress);
        int tables = count * SweepBench.REGIONS.size() * perRegion;
        int expectedFixes = count * SweepBench.REGIONS.size() * ((perRegion + 1) / 2);
        if (outcome.total("fixed") != expectedFixes) {
            throw new IllegalStateException("the sweep over " + count + " accounts fixed " + outcome.total("fixed")
                    + "; expected " + expectedFixes + ": " + outcome.totals());
        }
        return new Row(count, tables, createS, outcome, spy.unattributedByAction());
    }

    /** Each account's tables, created with its own credentials (AssumeRole into a member: moto keeps them there). */
    static void create(List<String> accounts, int perRegion, int threads) throws Exception {
        List<DynamoDbClient> clients = new ArrayList<>();
        try (StsClient sts = Clients.standard(StsClient.builder()).build()) {
            for (String account : accounts) {
                Credentials credentials = account.equals(HOME) ? null : sts.assumeRole(r -> r
                        .roleArn(AccountAccess.instance().memberRoleArn(account)).roleSessionName("bench-sweep")).credentials();
                for (String region : SweepBench.REGIONS) {
                    DynamoDbClientBuilder builder = Clients.standard(DynamoDbClient.builder()).region(Region.of(region));
                    if (credentials != null) {
                        builder.credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())));
                    }
                    clients.add(builder.build());
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (DynamoDbClient client : clients) {
                for (int i = 0; i < perRegion; i++) {
                    String name = String.format(Locale.ROOT, "bench-%05d", i);
                    boolean protectedTable = i % 2 == 1;
                    futures.add(pool.submit(() -> client.createTable(r -> r.tableName(name)
                            .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                            .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                            .billingMode(BillingMode.PAY_PER_REQUEST).deletionProtectionEnabled(protectedTable))));
                }
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
            clients.forEach(DynamoDbClient::close);
        }
    }

    static String table(List<Row> rows) {
        StringBuilder text = new StringBuilder();
        String format = "%9s %8s %10s %13s %14s %18s %7s %7s%n";
        text.append(String.format(Locale.ROOT, format, "accounts", "tables", "create s", "sweep wall s", "wall/table ms",
                "warden CPU/tbl ms", "fixed", "pages"));
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, format, row.accounts, String.format(Locale.ROOT, "%,d", row.tables),
                    String.format(Locale.ROOT, "%.1f", row.createS),
                    String.format(Locale.ROOT, "%.1f", row.outcome.wall().toMillis() / 1000.0),
                    String.format(Locale.ROOT, "%.2f", row.wallPerTableMs()),
                    String.format(Locale.ROOT, "%.2f", row.cpuPerTableMs()),
                    row.outcome.total("fixed"), row.outcome.pages()));
        }
        for (Row row : rows) {
            // AssumeRole is not among them: AccountAccess's STS client is its own, and asks once per member account.
            text.append(String.format(Locale.ROOT, "%nAWS calls per table, %d account(s): %.2f%n", row.accounts,
                    row.calls.values().stream().mapToInt(Integer::intValue).sum() / (double) row.tables));
            row.calls.forEach((action, n) -> text.append(String.format(Locale.ROOT, "  %-40s %6.2f%n", action,
                    n / (double) row.tables)));
        }
        if (rows.size() >= 2) {
            Row first = rows.get(0);
            Row last = rows.get(rows.size() - 1);
            text.append(String.format(Locale.ROOT, "%nwarden CPU per table, %d accounts vs %d: %.2f (1.00 = flat)%n",
                    last.accounts, first.accounts, last.cpuPerTableMs() / first.cpuPerTableMs()));
        }
        return text.toString();
    }
}
