package dev.ddbwarden.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static dev.ddbwarden.TestEvents.detail;
import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.tree;
import static org.assertj.core.api.Assertions.assertThat;

class TableLocatorTest {

    /** An event whose request, response and resources are as given (JSON text, or null to leave out). */
    private static Optional<TableRef> locate(String eventName, String request, String response, String resources) {
        ObjectNode event = event(eventName, "unused");
        detail(event).set("requestParameters", request == null ? null : tree(request));
        detail(event).set("responseElements", response == null ? null : tree(response));
        if (resources != null) {
            detail(event).set("resources", tree(resources));
        }
        return TableLocator.locate(TestEvents.call(event));
    }

    /** Each way of naming the table that events/ shows, read as its README says. */
    @ParameterizedTest
    @CsvSource({
            "create-table-unprotected.json, 123456789012, orders",
            "create-table-by-arn.json, 123456789012, invoices",
            "create-table-other-account.json, 999988887777, foreign",
            "restore-table-from-backup.json, 123456789012, payments-restored",
            "restore-table-to-point-in-time.json, 123456789012, orders-restored",
            "import-table.json, 123456789012, imported-orders",
            "update-table-no-table-name.json, 123456789012, customers",
            "update-table-resources-only.json, 123456789012, sessions"})
    void locate_shouldFindTheTable_thatEachSampleNames(String file, String account, String table) {
        assertThat(TableLocator.locate(TestEvents.call(TestEvents.sample(file))))
                .contains(new TableRef("aws", "us-east-1", account, table));
    }

    @Test
    void locate_shouldReadTheArn_whenRequestNamesTableByArn() {
        assertThat(locate("UpdateTable", "{\"tableName\":\"arn:aws:dynamodb:eu-west-1:210987654321:table/orders\"}",
                null, null))
                .contains(new TableRef("aws", "eu-west-1", "210987654321", "orders"));
    }

    @Test
    void locate_shouldFallBackToResponseTableArn_whenRequestNamesNoTable() {
        // GIVEN an UpdateTable record carrying only the changed setting, as in AWS's own example
        String response = "{\"tableDescription\":{\"tableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/from-arn\","
                + "\"tableName\":\"from-name\"}}";

        assertThat(locate("UpdateTable", "{\"deletionProtectionEnabled\":false}", response, null))
                .map(TableRef::name).contains("from-arn");
    }

    @Test
    void locate_shouldFallBackToResponseTableName_whenResponseHasNoArn() {
        assertThat(locate("UpdateTable", "{}", "{\"tableDescription\":{\"tableName\":\"from-name\"}}", null))
                .contains(TestEvents.table("from-name"));
    }

    @Test
    void locate_shouldFallBackToImportDescription_whenImportRequestLacksName() {
        String response = "{\"importTableDescription\":{\"tableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/imp\"}}";

        assertThat(locate("ImportTable", "{}", response, null)).map(TableRef::name).contains("imp");
    }

    @Test
    void locate_shouldFallBackToTableResource_whenRequestAndResponseNameNone() {
        String resources = "[{\"ARN\":\"arn:aws:kms:us-east-1:123456789012:key/abc\"},"
                + "{\"ARN\":\"arn:aws:dynamodb:us-east-1:123456789012:table/from-resources\"}]";

        assertThat(locate("UpdateTable", null, null, resources)).map(TableRef::name).contains("from-resources");
    }

    @Test
    void locate_shouldNameTheTable_whenResourceIsAStreamArn() {
        String resources = "[{\"ARN\":\"arn:aws:dynamodb:us-east-1:123456789012:table/t01/stream/2024-01-01T00:00:00.000\"}]";

        assertThat(locate("UpdateTable", null, null, resources))
                .contains(new TableRef("aws", "us-east-1", "123456789012", "t01"));
    }

    @Test
    void locate_shouldPreferRequest_whenRequestAndResponseDisagree() {
        assertThat(locate("CreateTable", "{\"tableName\":\"requested\"}",
                "{\"tableDescription\":{\"tableName\":\"responded\"}}", null))
                .map(TableRef::name).contains("requested");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "a b c", "orders!"})
    void locate_shouldFindNothing_whenTheOnlyNameIsInvalid(String name) {
        assertThat(locate("CreateTable", "{\"tableName\":\"" + name + "\"}", null, null)).isEmpty();
    }

    @Test
    void locate_shouldFindNothing_whenRecordNamesNoTableAnywhere() {
        assertThat(locate("UpdateTable", null, null, "[{\"ARN\":\"arn:aws:s3:::bucket\"}]")).isEmpty();
    }
}
