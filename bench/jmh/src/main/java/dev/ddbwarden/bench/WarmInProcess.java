package dev.ddbwarden.bench;

import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.handler.WardenHandler;
import com.amazonaws.services.lambda.runtime.Context;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench/warm's two sides in-process: one {@link WardenHandler} and the four calls the rule must
 * make, interleaved, over an HTTP client that answers every call with a canned response instead of
 * moto_server. What is left is this JVM's own work, so the handler's own CPU per event shows with little
 * noise on a busy machine; it tells whether a change shrinks the handler's work. Against moto_server
 * (bench/warm) the same work costs several times more, its code and data cold after each round trip, and
 * that figure is the one the goal is set on.
 *
 * <p>Arguments: EVENT.json [events, default 20000] [warm-up iterations, default 3000]. Reads the handler's
 * settings (ALERT_TOPIC_ARN, LEDGER_TABLE, ...) from the environment, like the function.
 */
public final class WarmInProcess {
    private static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    private static final int MESSAGE_CHARS = 1000;

    private WarmInProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream results = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        byte[] event = Files.readAllBytes(Path.of(args[0]));
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3_000;

        SdkHttpClient canned = new CannedHttpClient();
        DynamoDbClient dynamo = inProcess(DynamoDbClient.builder().httpClient(canned)).build();
        SnsClient sns = inProcess(SnsClient.builder().httpClient(canned)).build();
        SqsClient sqs = inProcess(SqsClient.builder().httpClient(canned)).build();
        Settings settings = Settings.fromEnvironment();
        WardenHandler handler = new WardenHandler(new DeletionProtectionRule(),
                new Services(dynamo, sns, sqs, settings, Clock.systemUTC(), Sleeper.REAL));
        String topic = settings.alertTopicArn();
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        for (String[] a : new String[][] {{"severity", "MEDIUM"}, {"rule", "deletion-protection"},
                {"account", "123456789012"}, {"region", "us-east-1"}}) {
            attributes.put(a[0], MessageAttributeValue.builder().dataType("String").stringValue(a[1]).build());
        }
        String message = "x".repeat(MESSAGE_CHARS);
        Context context = new WarmPath.BenchContext();

        Runnable invoke = () -> {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(event), output, context);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!output.toString(StandardCharsets.UTF_8).contains("\"FIXED\"")) {
                throw new IllegalStateException("the handler did not fix the table: " + output);
            }
        };
        Runnable bare = () -> {
            dynamo.describeTable(r -> r.tableName(TABLE_ARN));
            dynamo.listTagsOfResource(r -> r.resourceArn(TABLE_ARN));
            dynamo.updateTable(r -> r.tableName(TABLE_ARN).deletionProtectionEnabled(true));
            sns.publish(r -> r.topicArn(topic).subject("[MEDIUM] deletion-protection").message(message)
                    .messageAttributes(attributes));
        };

        List<Runnable> sides = List.of(invoke, bare);
        long[][] cpu = new long[2][events];
        long[][] wall = new long[2][events];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < warmup + events; i++) {
            for (int s = 0; s < sides.size(); s++) {
                int side = (i + s) % sides.size();
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                sides.get(side).run();
                long nanos = System.nanoTime() - start;
                long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
                if (i >= warmup) {
                    wall[side][i - warmup] = nanos;
                    cpu[side][i - warmup] = cpuNanos;
                }
            }
        }

        results.printf(Locale.ROOT, "%d events per side after %d warm-up iterations, interleaved, in one JVM, every AWS call"
                + " answered in-process by a canned response (%s %s, %s)%n%n", events, warmup,
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        results.println("| side | p50 us | p50 CPU us |");
        results.println("|------|--------|------------|");
        results.printf(Locale.ROOT, "| handler (WardenHandler.handleRequest) | %.1f | %.1f |%n",
                median(wall[0]) / 1e3, median(cpu[0]) / 1e3);
        results.printf(Locale.ROOT, "| bare SDK: the 4 calls the rule must make | %.1f | %.1f |%n",
                median(wall[1]) / 1e3, median(cpu[1]) / 1e3);
        results.println();
        results.printf(Locale.ROOT, "handler's own CPU time per event in-process (p50 handler CPU - p50 bare CPU): %.1f us%n",
                (median(cpu[0]) - median(cpu[1])) / 1e3);
    }

    /** Region, credentials and endpoint fixed: nothing is looked up and nothing leaves the JVM. */
    private static <B extends AwsClientBuilder<B, ?>> B inProcess(B builder) {
        return builder.region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .endpointOverride(URI.create("http://127.0.0.1:1"));
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    /**
     * Answers DescribeTable, ListTagsOfResource and UpdateTable (the table unprotected, then protected) and
     * SNS Publish as moto_server would, after reading the request body as a server does.
     */
    private static final class CannedHttpClient implements SdkHttpClient {
        private static final byte[] DESCRIBED = bytes("{\"Table\":" + table(false) + "}");
        private static final byte[] TAGS = bytes("{\"Tags\":[]}");
        private static final byte[] UPDATED = bytes("{\"TableDescription\":" + table(true) + "}");
        private static final byte[] PUBLISHED = bytes("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                + "<PublishResult><MessageId>9b5b5b0c-1b1b-4b1b-8b1b-1b1b1b1b1b1b</MessageId></PublishResult>"
                + "<ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata>"
                + "</PublishResponse>");

        private static String table(boolean protection) {
            return "{\"TableName\":\"orders\",\"TableArn\":\"" + TABLE_ARN + "\",\"TableStatus\":\"ACTIVE\","
                    + "\"DeletionProtectionEnabled\":" + protection + ",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                    + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
                    + "\"CreationDateTime\":1.7156779E9,\"ItemCount\":0,\"TableSizeBytes\":0,"
                    + "\"TableId\":\"3e1a9b42-f5fb-49f0-ad1b-05d97491bc66\",\"BillingModeSummary\":{\"BillingMode\":\"PAY_PER_REQUEST\"},"
                    + "\"ProvisionedThroughput\":{\"NumberOfDecreasesToday\":0,\"ReadCapacityUnits\":0,\"WriteCapacityUnits\":0}}";
        }

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
            byte[] body = target.endsWith(".DescribeTable") ? DESCRIBED
                    : target.endsWith(".ListTagsOfResource") ? TAGS
                    : target.endsWith(".UpdateTable") ? UPDATED
                    : target.isEmpty() ? PUBLISHED
                    : null;
            if (body == null) {
                throw new IllegalStateException("no canned response for " + target);
            }
            try (InputStream content = request.contentStreamProvider().orElseThrow().newStream()) {
                content.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String type = target.isEmpty() ? "text/xml" : "application/x-amz-json-1.0";
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200).putHeader("Content-Type", type)
                                    .putHeader("Content-Length", String.valueOf(body.length)).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
