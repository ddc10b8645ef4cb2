package dev.ddbwarden.handler;

import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.config.AccountAccess;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.Lazy;
import dev.ddbwarden.config.OrganizationParents;
import dev.ddbwarden.config.OuPaths;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.config.SettingsSource;
import dev.ddbwarden.metrics.WardenMetrics;
import org.crac.Core;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.RegionalTrail;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * What a handler works with, built once per container. Clients take region, credentials and endpoint
 * from the SDK's own chain ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, ...), so the same code runs
 * against AWS, LocalStack or moto_server with no switch of its own. The SQS client, which only a delayed
 * re-check uses, is built on first use. Settings come from a {@link SettingsSource}: {@link #settings()}
 * is what it holds now, which may change between invocations. A CloudTrail client, which only a decision
 * that turns on who acted uses, is built on first use too.
 */
public record Services(
        DynamoDbClient dynamo,
        SnsClient sns,
        Supplier<SqsClient> sqsClient,
        SettingsSource settingsSource,
        Clock clock,
        Sleeper sleeper,
        RegionalDynamo regional,
        RegionalTrail trail) {

    /**
     * Every function refuses settings whose RULE_MODES names a rule the registry does not have, or that a registered
     * rule refuses for one of its own settings, at start and on every re-read of the settings parameter (which then
     * keeps the last good settings).
     */
    public Services {
        settingsSource.require(settings -> settings.ruleModes().requireKnown(Rules.all().stream().map(Rule::name).toList()));
        settingsSource.require(Rules::requireSettings);
    }

    /** Services with settings that never change. */
    public Services(DynamoDbClient dynamo, SnsClient sns, Supplier<SqsClient> sqsClient, Settings settings, Clock clock,
                    Sleeper sleeper, RegionalDynamo regional, RegionalTrail trail) {
        this(dynamo, sns, sqsClient, SettingsSource.fixed(settings), clock, sleeper, regional, trail);
    }

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

    /** The settings to use now (read again from the settings parameter once they are a minute old). */
    public Settings settings() {
        return settingsSource.current().settings();
    }

    /**
     * The settings a call or table of {@code account} is judged by: the default with the overrides that apply to the
     * account (SETTINGS_OVERRIDES), the same object while they stay the same.
     */
    public Settings settingsFor(String account) {
        return settingsSource.forAccount(account);
    }

    /** The SQS client, built on the first call. */
    public SqsClient sqs() {
        return sqsClient.get();
    }

    /** The region the function runs in, where its ledger, topic and queues live. */
    public String homeRegion() {
        return dynamo.serviceClientConfiguration().region().id();
    }

    /**
     * Reads and validates the settings first (from the parameter SETTINGS_PARAMETER names, else the
     * environment), so that a bad setting stops the start before any other client is built. The source
     * is registered with CRaC so that a restored snapshot reads the parameter again.
     */
    public static Services fromEnvironment() {
        SettingsSource source = SettingsSource.of(System::getenv, () -> Clients.standard(SsmClient.builder()).build(),
                Clock.systemUTC(), () -> WardenMetrics.instance().addMetric(SettingsSource.FAILURE_METRIC, 1, MetricUnit.COUNT),
                Rules.settingNames(), ouPaths());
        Core.getGlobalContext().register(source);
        AccountAccess.readNameFrom(() -> source.current().settings());
        return create(source);
    }

    /** The OUs above an account, asked of AWS Organizations (built on the first override that names an OU). */
    private static OuPaths ouPaths() {
        Lazy<OrganizationParents> organizations = Lazy.of(() -> OrganizationParents.standard(
                DefaultAwsRegionProviderChain.builder().build().getRegion().id()));
        return new OuPaths(child -> organizations.get().of(child), Clock.systemUTC());
    }

    /** Clients from the SDK's default chain, with the given settings. */
    public static Services create(Settings settings) {
        return create(SettingsSource.fixed(settings));
    }

    /** Clients from the SDK's default chain, with settings from {@code source}. */
    public static Services create(SettingsSource source) {
        DynamoDbClient dynamo = Clients.standard(DynamoDbClient.builder()).build();
        return new Services(
                dynamo,
                Clients.standard(SnsClient.builder()).build(),
                Lazy.of(() -> Clients.standard(SqsClient.builder()).build()),
                source,
                Clock.systemUTC(),
                Sleeper.REAL,
                RegionalDynamo.around(dynamo),
                RegionalTrail.standard());
    }
}
