package dev.ddbwarden.bench;

import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.handler.WardenHandler;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.handler.Services;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The warm path (not a JMH benchmark: each iteration is a few HTTP round trips to moto_server, and the
 * table must be reset between them outside the timed region). In one JVM, interleaved, each iteration:
 * <ul>
 *   <li><b>handler</b>: one event through one long-lived {@link WardenHandler} built as in
 *       Lambda ({@link Services#create}), the table made unprotected first by a direct UpdateTable that
 *       is not timed, so every event needs the fix;</li>
 *   <li><b>bare, the rule's calls</b>: the four calls the rule must make, made directly on clients built
 *       the same way ({@link Clients#standard}), one after the other as the handler makes them:
 *       DescribeTable, ListTagsOfResource (the tags decide exemption, quarantine and decommission),
 *       UpdateTable(DeletionProtectionEnabled=true), Publish; what is left is the handler's own work;</li>
 *   <li><b>bare, the issue's calls</b>: DescribeTable, UpdateTable, Publish, as the boto3 baseline makes them.</li>
 * </ul>
 * The calls the handler makes for one event are recorded ({@link CallRecorder}) and printed; should they
 * differ from the rule's four, the comparison says so. Prints p50, p99 and mean of each, and the overhead
 * ratios. Reads AWS_ENDPOINT_URL and the handler's settings (ALERT_TOPIC_ARN, LEDGER_TABLE, ...) from the
 * environment, like the function.
 *
 * <p>Arguments: EVENT.json TABLE [events, default 1000] [warm-up iterations, default 200].
 */
public final class WarmPath {
    private static final int MESSAGE_CHARS = 1000;

    private WarmPath() {
    }

    public static void main(String[] args) throws Exception {
        // The handler's logs and metrics go to standard error (a file); only the results to standard output.
        PrintStream results = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        byte[] event = Files.readAllBytes(Path.of(args[0]));
        String table = args[1];
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 200;

        Settings settings = Settings.fromEnvironment();
        WardenHandler handler = new WardenHandler(new DeletionProtectionRule(), Services.create(settings));
        DynamoDbClient dynamo = Clients.standard(DynamoDbClient.builder()).build();
        SnsClient sns = Clients.standard(SnsClient.builder()).build();
        DynamoDbClient admin = Clients.standard(DynamoDbClient.builder()).build();
        String tableArn = admin.describeTable(r -> r.tableName(table)).table().tableArn();
        String topic = settings.alertTopicArn();
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        for (String[] a : new String[][] {{"severity", "MEDIUM"}, {"rule", "deletion-protection"},
                {"account", tableArn.split(":")[4]}, {"region", tableArn.split(":")[3]}}) {
            attributes.put(a[0], MessageAttributeValue.builder().dataType("String").stringValue(a[1]).build());
        }
        String message = "x".repeat(MESSAGE_CHARS);
        Context context = new BenchContext();
        Runnable reset = () -> admin.updateTable(r -> r.tableName(table).deletionProtectionEnabled(false));

        Map<String, Runnable> direct = new LinkedHashMap<>();
        direct.put("DynamoDb.DescribeTable", () -> dynamo.describeTable(r -> r.tableName(tableArn)));
        direct.put("DynamoDb.ListTagsOfResource", () -> dynamo.listTagsOfResource(r -> r.resourceArn(tableArn)));
        direct.put("DynamoDb.UpdateTable", () -> dynamo.updateTable(r -> r.tableName(tableArn).deletionProtectionEnabled(true)));
        direct.put("Sns.Publish", () -> sns.publish(r -> r.topicArn(topic).subject("[MEDIUM] deletion-protection")
                .message(message).messageAttributes(attributes)));

        Runnable invoke = () -> {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(event), output, context);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (!output.toString(StandardCharsets.UTF_8).contains("\"FIXED\"")) {
                throw new IllegalStateException("the handler did not fix the table: " + output);
            }
        };

        // What the handler calls for one event, and what the bare sides call.
        reset.run();
        CallRecorder.start();
        invoke.run();
        List<String> handlerCalls = CallRecorder.stop();
        List<String> ruleCalls = List.of("DynamoDb.DescribeTable", "DynamoDb.ListTagsOfResource", "DynamoDb.UpdateTable",
                "Sns.Publish");
        List<String> issueCalls = List.of("DynamoDb.DescribeTable", "DynamoDb.UpdateTable", "Sns.Publish");

        List<Side> sides = List.of(
                new Side("handler (WardenHandler.handleRequest)", invoke, handlerCalls),
                new Side("bare SDK: the " + ruleCalls.size() + " calls the rule must make", sequence(direct, ruleCalls), ruleCalls),
                new Side("bare SDK: the issue's " + issueCalls.size() + " calls", sequence(direct, issueCalls), issueCalls));
        // CPU time of this thread beside the wall time: moto_server's share and other processes' load drop out,
        // so the handler's own work shows with less noise than in the wall-time difference.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < warmup + events; i++) {
            for (int s = 0; s < sides.size(); s++) {
                Side side = sides.get((i + s) % sides.size()); // rotate, so no side always follows the reset of another
                reset.run();
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                side.work.run();
                long nanos = System.nanoTime() - start;
                long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
                if (i >= warmup) {
                    side.nanos.add(nanos);
                    side.cpuNanos.add(cpuNanos);
                }
            }
        }

        results.printf(Locale.ROOT, "%d events per side after %d warm-up iterations, interleaved, in one JVM (%s %s, %s)%n",
                events, warmup, System.getProperty("java.vm.name"), System.getProperty("java.version"),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        results.println();
        results.println("| side | p50 ms | p99 ms | mean ms | p50 CPU ms | SDK calls per event |");
        results.println("|------|--------|--------|---------|------------|---------------------|");
        for (Side side : sides) {
            results.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %d: %s |%n", side.name,
                    side.percentile(50) / 1e6, side.percentile(99) / 1e6, side.mean() / 1e6,
                    percentile(side.cpuNanos, 50) / 1e6, side.calls.size(), String.join(", ", side.calls));
        }
        Side h = sides.get(0);
        Side rule = sides.get(1);
        Side issue = sides.get(2);
        double ratio = h.percentile(50) / rule.percentile(50);
        results.println();
        if (!handlerCalls.equals(ruleCalls)) {
            results.println("note: the handler made other calls than the rule must make, so the first ratio also counts"
                    + " the extra calls: " + handlerCalls);
        }
        results.printf(Locale.ROOT, "warm overhead ratio (p50 handler / p50 bare, the %d calls the rule must make): %.2f"
                + "  [goal <= 1.10: %s]%n", ruleCalls.size(), ratio, ratio <= 1.10 ? "met" : "missed");
        results.printf(Locale.ROOT, "warm overhead ratio (p50 handler / p50 bare, the issue's %d calls, without"
                + " ListTagsOfResource): %.2f%n", issueCalls.size(), h.percentile(50) / issue.percentile(50));
        results.printf(Locale.ROOT, "handler's own time per event (p50 handler - p50 bare, the calls the rule must make):"
                + " %.2f ms%n", (h.percentile(50) - rule.percentile(50)) / 1e6);
        results.printf(Locale.ROOT, "handler's own CPU time per event (p50 handler CPU - p50 bare CPU, the calls the rule"
                + " must make; this thread only): %.2f ms%n",
                (percentile(h.cpuNanos, 50) - percentile(rule.cpuNanos, 50)) / 1e6);
    }

    /** The calls made directly, one after the other. */
    private static Runnable sequence(Map<String, Runnable> direct, List<String> calls) {
        List<Runnable> steps = calls.stream().map(direct::get).toList();
        return () -> steps.forEach(Runnable::run);
    }

    /** Nearest-rank percentile. */
    private static double percentile(List<Long> values, int p) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static final class Side {
        final String name;
        final Runnable work;
        final List<String> calls;
        final List<Long> nanos = new ArrayList<>();
        final List<Long> cpuNanos = new ArrayList<>();

        Side(String name, Runnable work, List<String> calls) {
            this.name = name;
            this.work = work;
            this.calls = calls;
        }

        double percentile(int p) {
            return WarmPath.percentile(nanos, p);
        }

        double mean() {
            return Arrays.stream(nanos.stream().mapToLong(Long::longValue).toArray()).average().orElse(0);
        }
    }

    /** The little of a Lambda context the handler and Powertools read; the deadline is always a minute away. */
    static final class BenchContext implements Context {
        @Override
        public String getAwsRequestId() {
            return "00000000-0000-4000-8000-000000000000";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/DeletionProtectionFunction";
        }

        @Override
        public String getLogStreamName() {
            return "bench";
        }

        @Override
        public String getFunctionName() {
            return "DeletionProtectionFunction";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:DeletionProtectionFunction";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 60_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.err.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.err.print(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
