package dev.ddbwarden.rules.privatenetwork;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.config.AccountClients;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.DataTables;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.RegionalDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * For a data event, the VPC endpoints ddb-warden's statement in each touched table's live policy names (one
 * GetResourcePolicy per table; no tag read, which a high-volume event path cannot afford). Beside the ledger's NETWORK
 * hold, which the pipeline reads, this keeps a table private while either says so. One DynamoDB client per account and
 * region ({@link AccountClients}), built on first use and kept for the container.
 */
final class StatementEndpoints implements CallAugment<StatementEndpoints.Named> {

    /**
     * The endpoints each table's statement names, by table ARN; none for a table without a policy or statement, and no
     * entry for a table that is gone.
     */
    record Named(Map<String, List<String>> byTable) {
        Named {
            byTable = Map.copyOf(byTable);
        }

        List<String> of(String tableArn) {
            return byTable.getOrDefault(tableArn, List.of());
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
        List<TableRef> tables = DataCalls.NAMES.contains(call.eventName()) ? DataTables.of(call) : List.of();
        if (tables.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<String>> byTable = new HashMap<>();
        for (TableRef table : tables) {
            statementOf(table).ifPresent(endpoints -> byTable.put(table.arn(), endpoints));
        }
        return Optional.of(new Named(byTable));
    }

    /** The endpoints the table's statement names; empty when the table is gone. */
    private Optional<List<String>> statementOf(TableRef table) {
        String document;
        try {
            document = clients.in(table).getResourcePolicy(r -> r.resourceArn(table.arn())).policy();
        } catch (PolicyNotFoundException e) {
            return Optional.of(List.of());
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
        return Optional.of(endpoints);
    }
}
