package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class MotoServerIT {

    /**
     * The ledger's promise (one invocation wins a conditional write) holds only if the emulator's
     * conditional writes are atomic, as DynamoDB's are; moto_server's own are not (one round in about 80
     * let two writers through on a loaded machine).
     */
    @Test
    void concurrentConditionalPuts_shouldLetExactlyOneWriterThrough_everyRound() throws Exception {
        SharedMoto.fresh();
        try (LocalEstate estate = new LocalEstate()) {
            estate.createLedger();
            DynamoDbClient dynamo = estate.dynamo();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Integer> winnersPerRound = new ArrayList<>();
            for (int round = 0; round < 150; round++) {
                String eventId = "race-" + round;
                List<Callable<Boolean>> writers = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    writers.add(() -> {
                        try {
                            dynamo.putItem(r -> r.tableName(LocalEstate.LEDGER)
                                    .item(Map.of("eventId", AttributeValue.fromS(eventId),
                                            "subject", AttributeValue.fromS("rule#table")))
                                    .conditionExpression("attribute_not_exists(eventId)"));
                            return true;
                        } catch (ConditionalCheckFailedException lost) {
                            return false;
                        }
                    });
                }
                int winners = 0;
                for (Future<Boolean> writer : pool.invokeAll(writers)) {
                    winners += writer.get() ? 1 : 0;
                }
                winnersPerRound.add(winners);
            }
            pool.shutdown();

            assertThat(winnersPerRound).containsOnly(1);
        }
    }
}
