package dev.ddbwarden.local;

import dev.ddbwarden.config.AccountAccess;
import dev.ddbwarden.config.AllowedRegions;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.config.SweepSettings;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.rules.Rules;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Region;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code ./warden sweep [--regions r1,r2] [--accounts a1,a2] [--report FILE.json|FILE.csv] [--report-only]
 * [--max-fixes N] [--parallel N]}: the scheduled sweep's logic over each account's regions (the accounts besides
 * the home one are acted in through MEMBER_ROLE_NAME, as the Lambda function does), run here against whatever endpoint the SDK
 * settings name (AWS_ENDPOINT_URL, AWS_REGION), with the settings a Lambda function would read from its
 * environment (LEDGER_TABLE, ALERT_TOPIC_ARN, ALLOWED_REGIONS, ..., SWEEP_REPORT_ONLY, SWEEP_MAX_FIXES),
 * the flags overriding the last two. Exit status 0, 1 if any table (or region) failed, 2 on a usage or
 * settings error.
 */
final class SweepCommand {
    /** The regions to sweep when --regions is not given; empty means every region EC2 says is enabled. */
    static final String SWEEP_REGIONS = "SWEEP_REGIONS";
    /** The accounts to sweep besides the home one when --accounts is not given (the template's SweepAccounts). */
    static final String SWEEP_ACCOUNTS = "SWEEP_ACCOUNTS";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    static final int DEFAULT_PARALLEL = 4;
    private static final int MAX_PARALLEL = 16;
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-\\d+");

    static final String USAGE = String.join("\n",
            "  sweep [--regions r1,r2]    sweep every table of every region with every rule, as the scheduled",
            "        [--report FILE]      sweep does, against the endpoint the SDK settings name; settings from",
            "        [--report-only]      the environment as Lambda reads them (LEDGER_TABLE, ALERT_TOPIC_ARN,",
            "        [--max-fixes N]      ALLOWED_REGIONS, ...). Regions: --regions, else SWEEP_REGIONS, else",
            "        [--parallel N]       EC2 DescribeRegions. The report (.json or .csv) lists every result.",
            "        [--accounts a1,a2]   Accounts besides this one (else SWEEP_ACCOUNTS), each through the",
            "                             member role MEMBER_ROLE_NAME; the cap is each account's, and an",
            "                             account's first sweep only reports. Exit status 1 if any table,",
            "                             region or account failed.");

    private SweepCommand() {
    }

    /** From {@code ./warden sweep}: the process's environment, its terminal, its standard streams. */
    static int run(List<String> args) throws IOException, InterruptedException {
        // Every table logs a line at INFO; on a terminal the bar and the warnings are what matter.
        if (System.getProperty("ddbwarden.logLevel") == null && System.getenv("POWERTOOLS_LOG_LEVEL") == null) {
            System.setProperty("ddbwarden.logLevel", "WARN");
        }
        return run(args, System::getenv, System.out, System.err, System.console() != null);
    }

    /**
     * @param env      the environment settings are read from (null for an unset variable)
     * @param terminal whether standard error is a terminal: a bar in place, else a line per page
     */
    static int run(List<String> args, Function<String, String> env, PrintStream out, PrintStream err, boolean terminal)
            throws IOException, InterruptedException {
        Options options = Options.parse(args);
        Services services;
        SweepSettings sweepSettings;
        List<String> regions;
        boolean configured;
        List<String> accounts;
        try {
            sweepSettings = SweepSettings.from(name -> {
                if (name.equals(SweepSettings.SWEEP_MAX_FIXES) && options.maxFixes != null) {
                    return options.maxFixes;
                }
                if (name.equals(SweepSettings.SWEEP_REPORT_ONLY) && options.reportOnly) {
                    return "true";
                }
                return env.apply(name);
            });
            Settings settings = Settings.from(env, Rules.settingNames());
            // As Services.fromEnvironment names a function's: the member role's name is read from them.
            AccountAccess.readNameFrom(() -> settings);
            services = Services.create(settings);
            // RegionGuardFunction refuses to start on an ALLOWED_REGIONS it cannot trust; so does the sweep,
            // which would otherwise quarantine every table of every region.
            AllowedRegions.require(settings.allowedRegions(), services.homeRegion());
            regions = options.regions != null ? options.regions : regions(env);
            // Named regions are walked in every account as named; EC2's list is narrowed to each account's own.
            configured = options.regions != null || (env.apply(SWEEP_REGIONS) != null && !env.apply(SWEEP_REGIONS).isBlank());
            accounts = accounts(services, options.accounts != null ? options.accounts : env.apply(SWEEP_ACCOUNTS));
        } catch (ConfigException e) {
            err.println("warden sweep: " + e.getMessage());
            return 2;
        }

        SweepProgress progress = new SweepProgress(err, terminal, terminal ? countTables(services, regions) : 0);
        LocalSweep.Outcome outcome = new LocalSweep(services, options.parallel)
                .run(accounts, regions, configured, sweepSettings.reportOnly(), sweepSettings.maxFixes(), progress);
        if (options.report != null) {
            SweepReport.write(options.report, outcome);
        }
        printTotals(out, outcome, sweepSettings.maxFixes(), services.settings(), options.report);
        return outcome.failed() > 0 ? 1 : 0;
    }

    /** SWEEP_REGIONS, else the regions enabled for the account, as EC2 DescribeRegions lists them. */
    static List<String> regions(Function<String, String> env) {
        String configured = env.apply(SWEEP_REGIONS);
        if (configured != null && !configured.isBlank()) {
            return regionList(configured, name -> new ConfigException(SWEEP_REGIONS, name));
        }
        try (Ec2Client ec2 = Clients.standard(Ec2Client.builder()).build()) {
            List<String> enabled = ec2.describeRegions().regions().stream()
                    .map(Region::regionName)
                    .sorted()
                    .collect(Collectors.toList());
            if (enabled.isEmpty()) {
                throw new ConfigException(SWEEP_REGIONS, "is not set and EC2 DescribeRegions listed no region");
            }
            return enabled;
        } catch (SdkException e) {
            throw new ConfigException(SWEEP_REGIONS, "is not set and EC2 DescribeRegions failed (" + e.getMessage()
                    + "); name the regions with --regions or SWEEP_REGIONS");
        }
    }

    /** The home account first, then the listed ones (12-digit IDs; another is refused here, as the template's pattern does). */
    static List<String> accounts(Services services, String listed) {
        LinkedHashSet<String> accounts = new LinkedHashSet<>(List.of(LocalSweep.homeAccount(services)));
        if (listed != null) {
            for (String account : listed.split(",")) {
                String id = account.strip();
                if (id.isEmpty()) {
                    continue;
                }
                if (!ACCOUNT.matcher(id).matches()) {
                    throw new ConfigException(SWEEP_ACCOUNTS, "'" + id + "' is not a 12-digit account ID");
                }
                accounts.add(id);
            }
        }
        return List.copyOf(accounts);
    }

    private static List<String> regionList(String text, Function<String, RuntimeException> invalid) {
        List<String> regions = new ArrayList<>(new LinkedHashSet<>(Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toList())));
        for (String region : regions) {
            if (!REGION.matcher(region).matches()) {
                throw invalid.apply("'" + region + "' is not a region name such as eu-west-1");
            }
        }
        if (regions.isEmpty()) {
            throw invalid.apply("names no region");
        }
        return regions;
    }

    /** Tables to expect, for the bar: ListTables at its largest page, per region (a region it cannot list counts 0). */
    private static int countTables(Services services, List<String> regions) {
        int count = 0;
        for (String region : regions) {
            DynamoDbClient dynamo = services.regional().in(LocalSweep.homeAccount(services), region);
            String after = null;
            try {
                do {
                    String start = after;
                    ListTablesResponse page = dynamo.listTables(r -> r.limit(100).exclusiveStartTableName(start));
                    count += page.tableNames().size();
                    after = page.lastEvaluatedTableName();
                } while (after != null);
            } catch (SdkException e) {
                // The sweep itself will retry that region and say why it failed.
            }
        }
        return count;
    }

    private static void printTotals(PrintStream out, LocalSweep.Outcome outcome, int maxFixes, Settings settings,
                                    Path report) {
        Map<String, Integer> totals = outcome.totals();
        out.printf("Sweep %s over %d account%s x %d region%s: %d pages in %.1f s (ddb-warden's own CPU %.1f s)%n", outcome.sweepId(),
                outcome.accounts(), outcome.accounts() == 1 ? "" : "s",
                outcome.regions().size(), outcome.regions().size() == 1 ? "" : "s", outcome.pages(),
                outcome.wall().toMillis() / 1000.0, outcome.cpu().toMillis() / 1000.0);
        if (outcome.reportOnly()) {
            out.println("  Report only, nothing was changed: " + outcome.reportOnlyWhy() + ".");
        }
        out.printf("  tables seen   %6d%n", outcome.total("seen"));
        out.printf("  findings      %6d%n", outcome.total("findings"));
        out.printf("  fixed         %6d%n", outcome.total("fixed"));
        out.printf("  failed        %6d%n", outcome.total("failed"));
        out.printf("  left past the cap of %d fixes (SWEEP_MAX_FIXES, --max-fixes): %d%n", maxFixes, outcome.total("capped"));
        List<Map.Entry<String, Integer>> byRule = totals.entrySet().stream()
                .filter(e -> e.getKey().contains(":"))
                .collect(Collectors.toList());
        if (!byRule.isEmpty()) {
            out.println("  by rule, region and outcome:");
            for (Map.Entry<String, Integer> entry : byRule) {
                String[] parts = entry.getKey().split(":", 3);
                out.printf("    %-22s %-16s %-26s %6d%n", parts[0], parts.length > 1 ? parts[1] : "",
                        parts.length > 2 ? parts[2] : "", entry.getValue());
            }
        }
        outcome.failedRegions().forEach((region, error) ->
                out.println("  " + region + " was not swept to the end: " + error));
        if (outcome.summarySent().isPresent()) {
            out.println("Summary alert sent " + (settings.hasAlertTopic() ? "to " + settings.alertTopicArn()
                    : "to the log (ALERT_TOPIC_ARN is not set)") + ": " + outcome.summarySent().get());
        } else {
            out.println("No summary alert: nothing was found and nothing failed.");
        }
        if (report != null) {
            out.println("Report: " + report.toAbsolutePath());
        }
    }

    /** The command line, parsed. */
    static final class Options {
        List<String> regions;
        /** As given: the accounts besides the home one. */
        String accounts;
        Path report;
        boolean reportOnly;
        /** As given, validated as a whole number; SweepSettings checks its range. */
        String maxFixes;
        int parallel = DEFAULT_PARALLEL;

        static Options parse(List<String> args) {
            Options options = new Options();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--regions":
                        options.regions = regionList(DeploymentFlags.value(args, ++i, arg),
                                problem -> new UsageException("--regions: " + problem));
                        break;
                    case "--accounts":
                        options.accounts = DeploymentFlags.value(args, ++i, arg);
                        break;
                    case "--report":
                        options.report = Path.of(DeploymentFlags.value(args, ++i, arg));
                        if (!SweepReport.supports(options.report)) {
                            throw new UsageException("--report: name a .json or .csv file, not '" + options.report + "'");
                        }
                        break;
                    case "--report-only":
                        options.reportOnly = true;
                        break;
                    case "--max-fixes":
                        options.maxFixes = DeploymentFlags.value(args, ++i, arg);
                        number(options.maxFixes, arg, 0, 10_000);
                        break;
                    case "--parallel":
                        options.parallel = number(DeploymentFlags.value(args, ++i, arg), arg, 1, MAX_PARALLEL);
                        break;
                    default:
                        throw new UsageException("unexpected argument '" + arg + "' to sweep");
                }
            }
            return options;
        }

        private static int number(String text, String flag, int min, int max) {
            try {
                int value = Integer.parseInt(text.trim());
                if (value < min || value > max) {
                    throw new UsageException(flag + ": " + value + " is outside " + min + ".." + max);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new UsageException(flag + ": '" + text + "' is not a whole number");
            }
        }
    }
}
