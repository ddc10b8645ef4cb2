package dev.ddbwarden.local;

import dev.ddbwarden.config.AccountAccess;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Like {@link RecordingInterceptor}, but with the table each call names: every AWS call a handler makes
 * on the current thread between {@link #begin()} and {@link #end()}, as operation, table (name or ARN) and
 * region. Installed on ddb-warden's own client configuration ({@link Clients#standard}), so that the
 * handlers run on the clients they run on in Lambda, observed.
 */
final class CallSpy implements ExecutionInterceptor {
    /** One AWS call. */
    record Call(String service, String operation, String table, String region) {
        boolean isWrite() {
            return "dynamodb".equals(service) && FaultProxy.WRITES.contains(operation);
        }
    }

    private final ThreadLocal<List<Call>> current = new ThreadLocal<>();
    private final AtomicInteger unattributed = new AtomicInteger();
    private final Map<String, AtomicInteger> unattributedByAction = new ConcurrentHashMap<>();

    void begin() {
        current.set(new ArrayList<>());
    }

    List<Call> end() {
        List<Call> calls = current.get();
        current.remove();
        return calls == null ? List.of() : calls;
    }

    /** Calls made on threads where no invocation had begun. */
    int unattributed() {
        return unattributed.get();
    }

    /** Those calls by IAM action ({@code dynamodb:DescribeTable}), sorted. */
    Map<String, Integer> unattributedByAction() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        unattributedByAction.forEach((action, n) -> counts.put(action, n.get()));
        return counts;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        String table = request.getValueForField("TableName", String.class)
                .or(() -> request.getValueForField("ResourceArn", String.class))
                .orElse("");
        Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        Call call = new Call(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(java.util.Locale.ROOT),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), table, region == null ? "" : region.id());
        List<Call> calls = current.get();
        if (calls == null) {
            unattributed.incrementAndGet();
            unattributedByAction.computeIfAbsent(call.service() + ":" + call.operation(), a -> new AtomicInteger())
                    .incrementAndGet();
        } else {
            calls.add(call);
        }
    }

    /** ddb-warden's clients (the SDK's chain for region, credentials and endpoint), with this spy on each. */
    Services services(Settings settings, Clock clock, Sleeper sleeper) {
        DynamoDbClient home = spied(DynamoDbClient.builder()).build();
        Map<String, DynamoDbClient> regional = new ConcurrentHashMap<>(Map.of(home.serviceClientConfiguration().region().id(), home));
        return new Services(home, spied(SnsClient.builder()).build(), spied(SqsClient.builder()).build(), settings, clock, sleeper,
                (account, region) -> regional.computeIfAbsent(AccountAccess.instance().actsAsItself(account) ? region : account + "/" + region,
                        key -> {
                            DynamoDbClientBuilder builder = spied(DynamoDbClient.builder()).region(Region.of(region));
                            // Another account's tables through the member role, as RegionalDynamo reads them (bench/sweep's accounts).
                            if (!AccountAccess.instance().actsAsItself(account)) {
                                builder.credentialsProvider(AccountAccess.instance().credentials(account));
                            }
                            return builder.build();
                        }));
    }

    private <B extends AwsSyncClientBuilder<B, ?> & SdkClientBuilder<B, ?>> B spied(B builder) {
        B standard = Clients.standard(builder);
        return standard.overrideConfiguration(standard.overrideConfiguration().toBuilder().addExecutionInterceptor(this).build());
    }
}
