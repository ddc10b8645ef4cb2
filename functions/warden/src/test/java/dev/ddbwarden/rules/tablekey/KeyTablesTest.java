package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.SubjectLookup;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTablesRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyResponse;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.ListGrantsRequest;
import software.amazon.awssdk.services.kms.model.ListGrantsResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Which reads find a key's tables, with mocked clients so that the calls made can be counted (KeyTableIT runs the
 * same lookup against moto_server, which models grants with constraints but never makes DynamoDB's own).
 */
class KeyTablesTest {
    private static final String KEY = TableKeyRuleTest.KEY;
    private static final String OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/99999999-4c5b-4a8e-9b1f-2e6a4c8d0f13";

    private final KmsClient kms = SdkMocks.client(KmsClient.class);
    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final KeyTables.Recent recent = new KeyTables.Recent();
    private final KeyTables lookup = new KeyTables((account, region) -> kms, RegionalDynamo.single(dynamo), recent);
    /** Time the tests' reads take: each DescribeTable advances it by {@link #describeTakes}. */
    private final TestClock clock = new TestClock(Instant.parse("2024-06-03T09:00:00Z"));
    private Duration describeTakes = Duration.ZERO;
    /** An invocation's full minute. */
    private final TimeBudget minute = TimeBudget.of(clock, Duration.ofSeconds(60), Duration.ZERO);

    @BeforeEach
    void estate() {
        // orders and payments under the key, audit under another, ghost gone
        Map<String, String> keys = Map.of("orders", KEY, "payments", KEY, "audit", OTHER_KEY);
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenAnswer(i -> {
            String asked = ((DescribeTableRequest) i.getArgument(0)).tableName();
            String name = asked.substring(asked.lastIndexOf('/') + 1);  // by name, or by ARN as the key-state read asks
            clock.advance(describeTakes);
            if (!keys.containsKey(name)) {
                throw ResourceNotFoundException.builder().message("no " + name).build();
            }
            return DescribeTableResponse.builder().table(t -> t.tableName(name)
                    .sseDescription(s -> s.kmsMasterKeyArn(keys.get(name)))).build();
        });
        when(dynamo.listTables(any(ListTablesRequest.class))).thenReturn(
                ListTablesResponse.builder().tableNames("audit", "orders").lastEvaluatedTableName("orders").build(),
                ListTablesResponse.builder().tableNames("payments").build());
        key(KeyManagerType.CUSTOMER);
    }

    private void key(KeyManagerType manager) {
        when(kms.describeKey(any(DescribeKeyRequest.class))).thenReturn(DescribeKeyResponse.builder()
                .keyMetadata(k -> k.arn(KEY).keyManager(manager).keyState(KeyState.DISABLED)).build());
    }

    /** A key that does not exist (KMS's NotFoundException) or that AWS manages encrypts no table of the customer's. */
    @Test
    void missingOrAwsManagedKey_shouldGiveNoSubject_withoutListingGrantsOrTables() throws Exception {
        key(KeyManagerType.AWS);
        assertThat(lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), minute)).isEmpty();

        when(kms.describeKey(any(DescribeKeyRequest.class))).thenThrow(NotFoundException.builder().message("no key").build());
        assertThat(lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), minute)).isEmpty();

        verify(kms, never()).listGrants(any(ListGrantsRequest.class));
        verify(dynamo, never()).listTables(any(ListTablesRequest.class));
    }

    private static GrantListEntry dynamoGrant(String table) {
        return GrantListEntry.builder().granteePrincipal("dynamodb.us-east-1.amazonaws.com").constraints(c -> c
                .encryptionContextSubset(Map.of(KeyTables.TABLE_NAME, table, KeyTables.SUBSCRIBER, TestEvents.ACCOUNT))).build();
    }

    private void grants(GrantListEntry... entries) {
        when(kms.listGrants(any(ListGrantsRequest.class))).thenReturn(ListGrantsResponse.builder().grants(entries).build());
    }

    @Test
    void grantsNamingTables_shouldFindThem_withoutListingEveryTable() throws Exception {
        grants(dynamoGrant("payments"), dynamoGrant("orders"), dynamoGrant("ghost"),
                GrantListEntry.builder().granteePrincipal("arn:aws:iam::123456789012:role/app").build());

        var subjects = lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), minute);

        // one subject, the first by name; the rest kept for the alert, the deleted one left out
        assertThat(subjects).containsExactly(TestEvents.table("orders"));
        assertThat(recent.of(KEY).orElseThrow().tables()).containsExactly("orders", "payments");
        verify(dynamo, never()).listTables(any(ListTablesRequest.class));
        verify(kms).listGrants(argThat((ListGrantsRequest r) -> r.keyId().equals(KEY)));
    }

    /** A grant DynamoDB holds on the key that names no table it can read: the grants cannot tell. */
    private static GrantListEntry dynamoGrantNamingNoTable() {
        return GrantListEntry.builder().granteePrincipal("dynamodb.us-east-1.amazonaws.com").build();
    }

    @Test
    void dynamoDbGrantsNamingNoTable_shouldLookAtEveryTable() throws Exception {
        grants(dynamoGrantNamingNoTable());

        var subjects = lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), minute);

        assertThat(subjects).containsExactly(TestEvents.table("orders"));
        assertThat(recent.of(KEY).orElseThrow().tables()).containsExactly("orders", "payments");
    }

    /**
     * bench/faults, seed 613485: a DisableKey of a key behind no table, among 1,000 tables, drew the "cannot tell"
     * CRITICAL when the look through every table ran out of time. DynamoDB uses a table's key through its grants, so a
     * key it holds no grant on serves no table, and no table is read for it, however many the region holds.
     */
    @Test
    void aKeyDynamoDbHoldsNoGrantOn_shouldGiveNoSubject_withoutLookingThroughEveryTable() throws Exception {
        grants(GrantListEntry.builder().granteePrincipal("arn:aws:iam::123456789012:role/app").build());

        assertThat(lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), minute)).isEmpty();

        KeyTables.Found found = recent.of(KEY).orElseThrow();
        assertThat(found.tables()).isEmpty();
        assertThat(found.cutShort()).isEmpty();
        verify(dynamo, never()).listTables(any(ListTablesRequest.class));
        verify(dynamo, never()).describeTable(any(DescribeTableRequest.class));
    }

    @Test
    void aGrantIsDynamoDbs_byItsPrincipals_orByDynamoDbsEncryptionContext() {
        assertThat(KeyTables.dynamoDbs(dynamoGrantNamingNoTable())).isTrue();
        assertThat(KeyTables.dynamoDbs(GrantListEntry.builder().granteePrincipal("arn:aws:iam::123456789012:role/app")
                .retiringPrincipal("dynamodb.amazonaws.com").build())).isTrue();
        assertThat(KeyTables.dynamoDbs(GrantListEntry.builder().granteePrincipal("arn:aws:iam::123456789012:role/app")
                .constraints(c -> c.encryptionContextEquals(Map.of(KeyTables.SUBSCRIBER, TestEvents.ACCOUNT))).build())).isTrue();
        assertThat(KeyTables.dynamoDbs(GrantListEntry.builder().granteePrincipal("arn:aws:iam::123456789012:role/dynamodb.amazonaws.com")
                .constraints(c -> c.encryptionContextSubset(Map.of("aws:s3:arn", "arn:aws:s3:::bucket"))).build())).isFalse();
    }

    @Test
    void aDisableKeyAfterDynamoDbsGrantsWereRevoked_shouldLookNoFurther_butTheRevokeGrantLooksThroughEveryTable() throws Exception {
        grants();

        assertThat(lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), minute)).isEmpty();
        verify(dynamo, never()).listTables(any(ListTablesRequest.class));

        assertThat(lookup.find(TableKeyRuleTest.sample("table-key-revoke-grant.json"), minute)).containsExactly(TestEvents.table("orders"));
        assertThat(recent.of(KEY).orElseThrow().tables()).containsExactly("orders", "payments");
    }

    @Test
    void revokedGrant_shouldLookAtEveryTable_andKeepWhatTheGrantsStillName() throws Exception {
        grants(dynamoGrant("payments"));

        lookup.find(TableKeyRuleTest.sample("table-key-revoke-grant.json"), minute);

        KeyTables.Found found = recent.of(KEY).orElseThrow();
        assertThat(found.tables()).containsExactly("orders", "payments");
        assertThat(found.granted()).contains(Set.of("payments"));
    }

    @Test
    void listGrantsRefused_shouldFallBackToEveryTable() throws Exception {
        when(kms.listGrants(any(ListGrantsRequest.class))).thenThrow(KmsException.builder().message("not authorized")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).statusCode(400).build());

        assertThat(lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), minute)).containsExactly(TestEvents.table("orders"));
        assertThat(recent.of(KEY).orElseThrow().granted()).isEmpty();
    }

    @Test
    void keyEncryptingNoTable_shouldGiveNoSubject() throws Exception {
        grants();
        when(dynamo.listTables(any(ListTablesRequest.class))).thenReturn(ListTablesResponse.builder().tableNames("audit").build());

        assertThat(lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), minute)).isEmpty();
    }

    @Test
    void keyOfAnotherAccount_shouldBeOutOfReach_withoutAnyRead() throws Exception {
        var event = TestEvents.tree(java.nio.file.Files.readString(java.nio.file.Path.of("../../events/table-key-disable-key.json")));
        String foreign = "arn:aws:kms:us-east-1:999988887777:key/7d3e9f21-4c5b-4a8e-9b1f-2e6a4c8d0f13";
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.at("/detail/resources/0")).put("ARN", foreign);

        assertThat(lookup.find(TestEvents.call(event), minute)).isEmpty();
        verify(kms, never()).listGrants(any(ListGrantsRequest.class));
    }

    @Test
    void aDynamoDbCall_shouldBeLocatedAsEveryRuleLocatesIt() throws Exception {
        assertThat(lookup.find(TestEvents.call(TestEvents.event("UpdateTable", "orders")), minute))
                .containsExactly(new TableRef("aws", "us-east-1", TestEvents.ACCOUNT, "orders"));
    }

    @Test
    void aLookThroughEveryTable_thatOutrunsTheBudget_shouldStop_keepingWhatItFound_andSayingHowFarItGot() throws Exception {
        // GIVEN DynamoDB's grant naming no table, and DescribeTable taking 15 s: after audit and orders, 10 s of the 40 s are left
        grants(dynamoGrantNamingNoTable());
        describeTakes = Duration.ofSeconds(15);
        TimeBudget budget = TimeBudget.of(clock, KeyTables.LOOK_LEAVES.plusSeconds(25), Duration.ZERO);

        var subjects = lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), budget);

        // THEN payments was never read, orders is the subject, and the look says it read 2 of 3 tables
        assertThat(subjects).containsExactly(TestEvents.table("orders"));
        KeyTables.Found found = recent.of(KEY).orElseThrow();
        assertThat(found.tables()).containsExactly("orders");
        assertThat(found.cutShort()).contains(new KeyTables.CutShort(2, 3, true));
        assertThat(found.cutShort().orElseThrow().describe()).contains("cut short", "after reading 2 of 3 tables");
        verify(dynamo, never()).describeTable(argThat((DescribeTableRequest r) -> r.tableName().equals("payments")));
        assertThat(budget.left()).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aLookCutShortBeforeAnyTableIsFound_shouldGiveNoSubject_butBeKept_soThatTheRuleAlerts() throws Exception {
        grants(dynamoGrantNamingNoTable());
        describeTakes = Duration.ofSeconds(15);
        TimeBudget budget = TimeBudget.of(clock, KeyTables.LOOK_LEAVES.plusSeconds(10), Duration.ZERO);

        assertThat(lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), budget)).isEmpty();
        assertThat(recent.of(KEY).orElseThrow().cutShort()).contains(new KeyTables.CutShort(1, 3, true));
    }

    @Test
    void aBudgetSpentBeforeListingEnds_shouldSayTheCountIsALowerBound() throws Exception {
        grants(dynamoGrantNamingNoTable());
        TimeBudget spent = TimeBudget.of(clock, KeyTables.LOOK_LEAVES.minusSeconds(1), Duration.ZERO);

        assertThat(lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), spent)).isEmpty();
        KeyTables.CutShort cut = recent.of(KEY).orElseThrow().cutShort().orElseThrow();
        assertThat(cut).isEqualTo(new KeyTables.CutShort(0, 0, false));
        assertThat(cut.describe()).contains("after reading 0 of at least 0 tables");
        verify(dynamo, never()).listTables(any(ListTablesRequest.class));
    }

    @Test
    void aKeyEventWhoseLookFoundNothingInTime_shouldBeAlertedCritical_neverTakenForAKeyWithoutTables() throws Exception {
        // GIVEN the rule's own lookup, cut short after one table read (audit, under another key)
        grants(dynamoGrantNamingNoTable());
        describeTakes = Duration.ofSeconds(15);
        TableKeyRule rule = new TableKeyRule(() -> (account, region) -> kms);
        SubjectLookup ruleLookup = rule.subjectLookup(new FixContext(RegionalDynamo.single(dynamo), hold -> { }, clock));
        ApiCall call = TableKeyRuleTest.sample("table-key-disable-key.json");

        assertThat(ruleLookup.find(call, TimeBudget.of(clock, KeyTables.LOOK_LEAVES.plusSeconds(10), Duration.ZERO))).isEmpty();

        // THEN the call is alerted on the key itself, CRITICAL, saying how far the look got and how to restore by hand
        assertThat(rule.evaluateResource(call, Settings.from(Map.<String, String>of()::get))).get().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.resource().arn()).isEqualTo(KEY);
            assertThat(f.detail()).contains("after reading 1 of 3 tables", "cannot tell whether the key serves DynamoDB tables");
            assertThat(f.advice()).contains("aws kms enable-key");
        });
    }

    @Test
    void aKeyEventWhoseLookFinished_shouldBeNoResourceAlert() throws Exception {
        grants();
        when(dynamo.listTables(any(ListTablesRequest.class))).thenReturn(ListTablesResponse.builder().tableNames("audit").build());
        TableKeyRule rule = new TableKeyRule(() -> (account, region) -> kms);
        ApiCall call = TableKeyRuleTest.sample("table-key-disable-key.json");

        assertThat(rule.subjectLookup(new FixContext(RegionalDynamo.single(dynamo), hold -> { }, clock)).find(call, minute)).isEmpty();
        assertThat(rule.evaluateResource(call, Settings.from(Map.<String, String>of()::get))).isEmpty();
    }

    @Test
    void aKeyEvent_shouldDescribeTheKeyOnce_theKeyStateReadTakingTheLookupsAnswer_andARereadAskingAgain() throws Exception {
        // GIVEN a DisableKey whose lookup described the key and found orders
        grants(dynamoGrant("orders"));
        when(kms.getKeyPolicy(any(GetKeyPolicyRequest.class))).thenReturn(GetKeyPolicyResponse.builder().policy("{}").build());
        assertThat(lookup.find(TableKeyRuleTest.sample("table-key-disable-key.json"), minute)).containsExactly(TestEvents.table("orders"));
        KeyAugment augment = new KeyAugment((account, region) -> kms, recent);

        // WHEN the key's state is read for orders, then read again
        KeyState first = augment.read(dynamo, TestEvents.table("orders")).orElseThrow();
        verify(kms, times(1)).describeKey(any(DescribeKeyRequest.class));
        augment.read(dynamo, TestEvents.table("orders"));

        // THEN the first read took the lookup's answer; the re-read asked KMS
        assertThat(first.keyState()).isEqualTo(KeyState.DISABLED);
        verify(kms, times(2)).describeKey(any(DescribeKeyRequest.class));
    }
}
