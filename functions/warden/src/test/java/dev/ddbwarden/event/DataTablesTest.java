package dev.ddbwarden.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.ddbwarden.TestEvents.detail;
import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** Every table a data event names, in each shape its request may take (events/README.md says how sure each is). */
class DataTablesTest {

    private static List<String> tables(String eventName, String request, String resources) {
        ObjectNode event = event(eventName, "unused");
        detail(event).set("requestParameters", tree(request));
        detail(event).set("resources", tree(resources));
        return DataTables.of(TestEvents.call(event)).stream().map(TableRef::name).toList();
    }

    private static List<String> tables(String eventName, String request) {
        return tables(eventName, request, "[]");
    }

    @Test
    void batchCalls_shouldNameTheKeysOfRequestItems_asTheApiShapesThem() {
        assertThat(tables("BatchWriteItem", "{\"requestItems\": {\"orders\": [], \"audit-log\": []}}"))
                .containsExactly("orders", "audit-log");
        assertThat(tables("BatchGetItem", "{\"RequestItems\": {\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\": {}}}"))
                .containsExactly("orders");
    }

    @Test
    void transactions_shouldNameEachItemsTable_inEitherSpelling_andNested() {
        assertThat(tables("TransactWriteItems", "{\"requestItems\": [{\"operation\": \"Put\", \"tableName\": \"orders\"},"
                + " {\"operation\": \"Delete\", \"TableName\": \"order-lines\"}, {\"operation\": \"Update\", \"tableName\": \"orders\"}]}"))
                .containsExactly("orders", "order-lines");
        assertThat(tables("TransactGetItems", "{\"transactItems\": [{\"get\": {\"tableName\": \"orders\"}},"
                + " {\"Get\": {\"TableName\": \"payments\"}}]}")).containsExactly("orders", "payments");
    }

    @Test
    void partiql_shouldNameTheTablesOfEveryStatement_andNoneInsideALiteral() {
        assertThat(tables("ExecuteStatement", "{\"statement\": \"SELECT * FROM \\\"orders\\\".\\\"by-customer\\\""
                + " WHERE pk = 'from payments' AND x = ***(Redacted)\"}")).containsExactly("orders");
        assertThat(tables("BatchExecuteStatement", "{\"requestItems\": [{\"statement\": \"UPDATE orders SET a = ***(Redacted)\"},"
                + " {\"statement\": \"insert into \\\"audit-log\\\" VALUE {'pk' : ***(Redacted)}\"}]}"))
                .containsExactly("orders", "audit-log");
        assertThat(tables("ExecuteTransaction", "{\"transactStatements\": [{\"statement\": \"DELETE FROM sessions WHERE pk = 'a'\"},"
                + " {\"Statement\": \"EXISTS(SELECT * FROM users WHERE pk = 'b')\"}]}")).containsExactly("sessions", "users");
    }

    @Test
    void aBareDottedName_shouldNameBothReadings() {
        assertThat(tables("ExecuteStatement", "{\"statement\": \"SELECT * FROM orders.v2 WHERE pk = 'a'\"}"))
                .containsExactly("orders.v2", "orders");
    }

    @Test
    void theRecordsResources_shouldAddTheTablesTheRequestDoesNotName_onceEach() {
        assertThat(tables("ExecuteStatement", "{\"statement\": \"***(Redacted)\"}",
                "[{\"type\": \"AWS::DynamoDB::Table\", \"ARN\": \"arn:aws:dynamodb:us-east-1:123456789012:table/orders\"}]"))
                .containsExactly("orders");
        assertThat(tables("PutItem", "{\"tableName\": \"orders\"}",
                "[{\"type\": \"AWS::DynamoDB::Table\", \"ARN\": \"arn:aws:dynamodb:us-east-1:123456789012:table/orders\"}]"))
                .containsExactly("orders");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ExecuteStatement | {\"statement\": \"***(Redacted)\"}",
            "BatchWriteItem | {\"requestItems\": 42}",
            "TransactWriteItems | {\"requestItems\": [{\"tableName\": \"x\"}, null, \"orders\"]}",
            "Scan | {}"})
    void aRecordNamingNoReadableTable_shouldNameNone(String eventName, String request) {
        assertThat(tables(eventName, request)).isEmpty();
    }
}
