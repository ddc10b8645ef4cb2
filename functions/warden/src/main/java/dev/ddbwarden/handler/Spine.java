package dev.ddbwarden.handler;

import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.alert.ChatPublisher;
import dev.ddbwarden.alert.LogAlertPublisher;
import dev.ddbwarden.alert.SnsAlertPublisher;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.findings.SecurityHubPublisher;
import dev.ddbwarden.metrics.WardenMetrics;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.ledger.DynamoLedger;
import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.ledger.NoLedger;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.Sleeper;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TrailHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Builds the shared pipeline's parts from the services, the same way for every function and the sweep. */
public final class Spine {
    private static final Logger LOG = LoggerFactory.getLogger(Spine.class);

    private Spine() {
    }

    static Pipeline pipeline(Rule rule, Services services, Settings settings, Ledger ledger, AlertPublisher publisher) {
        FixContext context = new FixContext(services.regional(), ledger::hold, services.clock());
        return new Pipeline(rule, rule.subjectLookup(context), settings,
                reader(rule, services.regional(), services.sleeper(), ledger, settings),
                new Fixes(rule.fixes(context)),
                ledger,
                publisher,
                settings.hasRecheckQueue()
                        ? Optional.of(new Recheck(services.sqsClient(), settings.recheckQueueUrl(), settings.recheckDelaySeconds()))
                        : Optional.empty(),
                services.clock(),
                services.sleeper(),
                new TrailHistory(services.trail(), services.sleeper()));
    }

    /**
     * The reader of what {@code rule} decides on, the one place its reads are listed: the shared state, its augments
     * that can matter under {@code settings}, the ledger's memory of the table and the holds it reads.
     */
    static TableReader reader(Rule rule, RegionalDynamo regional, Sleeper sleeper, Ledger ledger, Settings settings) {
        List<Augment<?>> augments = new ArrayList<>(rule.augments().stream()
                .filter(augment -> augment.neededUnder(settings)).toList());
        if (!rule.remembers().isEmpty()) {
            augments.add(new Recall(ledger, rule.remembers()));
        }
        if (!rule.holds().isEmpty()) {
            augments.add(new HeldAugment(ledger, rule.holds()));
        }
        return new TableReader(regional, sleeper, augments);
    }

    public static Ledger ledger(Services services) {
        if (!services.settings().hasLedger()) {
            LOG.warn("LEDGER_TABLE is not set: running without a ledger, so a re-delivered event acts again");
            return new NoLedger();
        }
        return new DynamoLedger(services.dynamo(), services.settings().ledgerTable(), services.clock());
    }

    /**
     * The alert topic (or the log), then the chat topic when one is set (CHAT_TOPIC_ARN), with findings filed in
     * Security Hub first when SECURITY_HUB_FINDINGS is true.
     */
    public static AlertPublisher publisher(Services services) {
        AlertPublisher publisher;
        if (!services.settings().hasAlertTopic()) {
            LOG.warn("ALERT_TOPIC_ARN is not set: alerts go to this log");
            publisher = new LogAlertPublisher();
        } else {
            publisher = new SnsAlertPublisher(services.sns(), services.settings().alertTopicArn());
        }
        Consumer<String> count = metric -> WardenMetrics.instance().addMetric(metric, 1, MetricUnit.COUNT);
        publisher = ChatPublisher.around(publisher, services.sns(), services.settings(), System::getenv, count);
        return SecurityHubPublisher.enabled(services.settings())
                ? SecurityHubPublisher.around(publisher, services.clock(), services.sleeper(), services.homeRegion()) : publisher;
    }
}
