package dev.ddbwarden.handler;

import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.Lazy;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.RegionalTrail;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * What a handler works with, built once per container. Clients take region, credentials and endpoint
 * from the SDK's own chain ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, ...), so the same code runs
 * against AWS, LocalStack or moto_server with no switch of its own. The SQS client, which only a delayed
 * re-check uses, is built on first use, and so is a CloudTrail client, which only a decision that turns on
 * who acted uses.
 */
public record Services(
        DynamoDbClient dynamo,
        SnsClient sns,
        Supplier<SqsClient> sqsClient,
        Settings settings,
        Clock clock,
        Sleeper sleeper,
        RegionalDynamo regional,
        RegionalTrail trail) {

    /** Services around clients built already (tests with mocked or spied clients). */
    public Services(DynamoDbClient dynamo, SnsClient sns, SqsClient sqs, Settings settings, Clock clock, Sleeper sleeper,
                    RegionalDynamo regional, RegionalTrail trail) {
        this(dynamo, sns, () -> sqs, settings, clock, sleeper, regional, trail);
    }

    /** Services around clients built already, with CloudTrail's clients built from the SDK's chain on first use. */
    public Services(DynamoDbClient dynamo, SnsClient sns, SqsClient sqs, Settings settings, Clock clock, Sleeper sleeper,
                    RegionalDynamo regional) {
        this(dynamo, sns, sqs, settings, clock, sleeper, regional, RegionalTrail.standard());
    }

    /** Services whose one DynamoDB client serves every region (tests with a mocked client). */
    public Services(DynamoDbClient dynamo, SnsClient sns, SqsClient sqs, Settings settings, Clock clock, Sleeper sleeper) {
        this(dynamo, sns, sqs, settings, clock, sleeper, RegionalDynamo.single(dynamo));
    }

    /** The SQS client, built on the first call. */
    public SqsClient sqs() {
        return sqsClient.get();
    }

    /** The region the function runs in, where its ledger, topic and queues live. */
    public String homeRegion() {
        return dynamo.serviceClientConfiguration().region().id();
    }

    /** Validates the settings first, so a bad variable stops the start before any client is built. */
    public static Services fromEnvironment() {
        return create(Settings.fromEnvironment());
    }

    /** Clients from the SDK's default chain, with the given settings. */
    public static Services create(Settings settings) {
        DynamoDbClient dynamo = Clients.standard(DynamoDbClient.builder()).build();
        return new Services(
                dynamo,
                Clients.standard(SnsClient.builder()).build(),
                Lazy.of(() -> Clients.standard(SqsClient.builder()).build()),
                settings,
                Clock.systemUTC(),
                Sleeper.REAL,
                RegionalDynamo.around(dynamo),
                RegionalTrail.standard());
    }
}
