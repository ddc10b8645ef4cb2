package dev.ddbwarden.handler;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;

/**
 * What a handler works with, built once per container. Clients take region, credentials and endpoint
 * from the SDK's own chain ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, ...), so the same code runs
 * against AWS, LocalStack or moto_server with no switch of its own.
 */
public record Services(
        DynamoDbClient dynamo,
        SnsClient sns,
        SqsClient sqs,
        Settings settings,
        Clock clock,
        Sleeper sleeper) {

    /** Validates the settings first, so a bad variable stops the start before any client is built. */
    public static Services fromEnvironment() {
        return create(Settings.fromEnvironment());
    }

    /** Clients from the SDK's default chain, with the given settings. */
    public static Services create(Settings settings) {
        return new Services(
                DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
                SnsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
                SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
                settings,
                Clock.systemUTC(),
                Sleeper.REAL);
    }
}
