package dev.ddbwarden.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.Parsed;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The parser and the table locator on every sample in events/, as EventBridge delivers them. */
class EventSamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} names {1} in {2}")
    @CsvSource({
            "create-table-unprotected.json, orders, 123456789012, AssumedRole",
            "update-table-protection-off.json, payments, 123456789012, AssumedRole",
            "update-table-billing-mode.json, orders, 123456789012, AssumedRole",
            "restore-table-to-point-in-time.json, orders-restored, 123456789012, AssumedRole",
            "restore-table-from-backup.json, payments-restored, 123456789012, AssumedRole",
            "import-table.json, imported-orders, 123456789012, AssumedRole",
            "create-table-by-arn.json, invoices, 123456789012, AssumedRole",
            "update-table-no-table-name.json, customers, 123456789012, AssumedRole",
            "update-table-resources-only.json, sessions, 123456789012, AssumedRole",
            "create-table-root.json, audit-log, 123456789012, Root",
            "update-table-approved-decommission.json, legacy-sessions, 123456789012, AssumedRole",
            "delete-table.json, payments, 123456789012, AssumedRole",
            "create-table-other-account.json, foreign, 999988887777, AssumedRole"})
    void everySample_shouldParse_andNameItsTable(String file, String table, String account, String actorType) throws Exception {
        Parsed parsed = ApiCallParser.parse(JSON.readTree(Project.event(file)));

        assertThat(parsed).isInstanceOf(Parsed.Call.class);
        ApiCall call = ((Parsed.Call) parsed).call();
        assertThat(call.failed()).isFalse();
        assertThat(call.actor().type()).isEqualTo(actorType);
        TableRef ref = TableLocator.locate(call).orElseThrow();
        assertThat(ref.name()).isEqualTo(table);
        assertThat(ref.accountId()).isEqualTo(account);
        assertThat(ref.region()).isEqualTo("us-east-1");
    }

    @ParameterizedTest
    @Event(value = "../events/create-table-root.json", type = ScheduledEvent.class)
    void rootCall_shouldHaveNoSessionIssuer_andBeDescribedByItsArn(ScheduledEvent envelope) throws Exception {
        // aws-lambda-java-tests loads the file as Lambda's own EventBridge type: the sample is a valid envelope.
        assertThat(envelope.getDetailType()).isEqualTo("AWS API Call via CloudTrail");
        assertThat(envelope.getSource()).isEqualTo("aws.dynamodb");

        ApiCall call = ((Parsed.Call) ApiCallParser.parse(JSON.readTree(Project.event("create-table-root.json")))).call();
        assertThat(call.actor().sessionIssuerArn()).isEmpty();
        assertThat(call.actor().principalArn()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(call.actor().describe()).isEqualTo("arn:aws:iam::123456789012:root (Root)");
    }

    @ParameterizedTest
    @CsvSource({"create-table-failed.json, ResourceInUseException"})
    void failedCall_shouldCarryItsErrorCode(String file, String errorCode) throws Exception {
        ApiCall call = ((Parsed.Call) ApiCallParser.parse(JSON.readTree(Project.event(file)))).call();
        assertThat(call.failed()).isTrue();
        assertThat(call.errorCode()).isEqualTo(errorCode);
    }
}
