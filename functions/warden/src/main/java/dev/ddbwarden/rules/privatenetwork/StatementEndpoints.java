package dev.ddbwarden.rules.privatenetwork;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.config.AccountClients;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.RegionalDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * For a data event, the VPC endpoints ddb-warden's statement in the table's live policy names: a table opted in by a
 * trusted tag is private exactly while its policy holds the statement ddb-warden wrote (one GetResourcePolicy per data
 * event; no tag or ledger read, which a high-volume event path cannot afford). One DynamoDB client per account and region
 * ({@link AccountClients}), built on first use and kept for the container.
 */
final class StatementEndpoints implements CallAugment<StatementEndpoints.Named> {

    /** The endpoints the table's statement names; none when the table has no policy or the policy no statement. */
    record Named(List<String> endpoints) {
        Named {
            endpoints = List.copyOf(endpoints);
        }
    }

    private final RegionalDynamo clients;

    StatementEndpoints() {
        this(AccountClients.of(DynamoDbClient::builder)::in);
    }

    /** @param clients the DynamoDB client for an account and region */
    StatementEndpoints(RegionalDynamo clients) {
        this.clients = clients;
    }

    @Override
    public Class<Named> type() {
        return Named.class;
    }

    @Override
    public Optional<Named> read(ApiCall call, Settings settings) {
        Optional<TableRef> table = TableLocator.locate(call);
        if (!DataCalls.NAMES.contains(call.eventName()) || table.isEmpty()) {
            return Optional.empty();
        }
        String document;
        try {
            document = clients.in(table.get()).getResourcePolicy(r -> r.resourceArn(table.get().arn())).policy();
        } catch (PolicyNotFoundException e) {
            return Optional.of(new Named(List.of()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        List<String> endpoints = new ArrayList<>();
        NetworkStatement.in(document).ifPresent(statement -> {
            JsonNode named = statement.path("Condition").path("StringNotEqualsIfExists").path("aws:SourceVpce");
            (named.isArray() ? named : List.of(named)).forEach(id -> {
                if (id.isTextual()) {
                    endpoints.add(id.asText());
                }
            });
        });
        return Optional.of(new Named(endpoints));
    }
}
