package dev.ddbwarden.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TableRefTest {
    private static final String ACCOUNT = "123456789012";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "us-east-1,      aws",
            "eu-west-1,      aws",
            "cn-north-1,     aws-cn",
            "cn-northwest-1, aws-cn",
            "us-gov-west-1,  aws-us-gov"})
    void parse_shouldTakePartitionFromRegion_whenGivenAName(String region, String partition) {
        // WHEN
        TableRef ref = TableRef.parse("orders", region, ACCOUNT).orElseThrow();

        // THEN
        assertThat(ref).isEqualTo(new TableRef(partition, region, ACCOUNT, "orders"));
        assertThat(ref.arn()).isEqualTo("arn:" + partition + ":dynamodb:" + region + ":" + ACCOUNT + ":table/orders");
    }

    @Test
    void parse_shouldKeepArnsOwnPartitionRegionAndAccount_whenGivenAnArn() {
        TableRef ref = TableRef.parse("arn:aws-cn:dynamodb:cn-north-1:210987654321:table/orders", "us-east-1", ACCOUNT)
                .orElseThrow();

        assertThat(ref).isEqualTo(new TableRef("aws-cn", "cn-north-1", "210987654321", "orders"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "arn:aws:dynamodb:us-east-1:123456789012:table/t01/stream/2024-01-01T00:00:00.000",
            "arn:aws:dynamodb:us-east-1:123456789012:table/t01/index/by-date",
            "arn:aws:dynamodb:us-east-1:123456789012:table/t01/backup/01700000000000-abcdef01"})
    void parse_shouldNameTheTable_whenGivenAnArnBelowIt(String arn) {
        TableRef ref = TableRef.parse(arn, "eu-west-1", "999999999999").orElseThrow();

        assertThat(ref.name()).isEqualTo("t01");
        assertThat(ref.arn()).isEqualTo("arn:aws:dynamodb:us-east-1:123456789012:table/t01");
    }

    /** A table in a region that does not exist cannot be read: naming it names no table. */
    @Test
    void parse_shouldGiveEmpty_whenTheArnsRegionCannotBeReal() {
        assertThat(TableRef.parse("arn:aws:dynamodb:xx-fake-9:123456789012:table/orders", "us-east-1", ACCOUNT)).isEmpty();
        assertThat(TableRef.parse("arn:aws:dynamodb:US-EAST-1:123456789012:table/orders", "us-east-1", ACCOUNT)).isEmpty();
    }

    @Test
    void parse_shouldNameTheTable_whenTheArnIsInARegionLaunchedAfterThisSdk() {
        TableRef ref = TableRef.parse("arn:aws:dynamodb:ap-southeast-10:123456789012:table/orders", "us-east-1", ACCOUNT)
                .orElseThrow();

        assertThat(ref.region()).isEqualTo("ap-southeast-10");
    }

    @Test
    void parse_shouldAcceptNamesOfThreeTo255Characters() {
        assertThat(TableRef.parse("a_b", "us-east-1", ACCOUNT)).isPresent();
        assertThat(TableRef.parse("x".repeat(255), "us-east-1", ACCOUNT)).isPresent();
        assertThat(TableRef.parse("x".repeat(256), "us-east-1", ACCOUNT)).isEmpty();
    }

    /** DynamoDB table names are 3 to 255 characters, so an ARN naming a 2-character table names none. */
    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "a b c", "orders/x", "arn:aws:dynamodb:us-east-1:12345:table/orders",
            "arn:aws:s3:::orders", "arn:aws:dynamodb:us-east-1:123456789012:table/t1/stream/2024-01-01T00:00:00.000"})
    void parse_shouldGiveEmpty_whenNameOrArnIsInvalid(String nameOrArn) {
        assertThat(TableRef.parse(nameOrArn, "us-east-1", ACCOUNT)).isEmpty();
    }

    @Test
    void parse_shouldGiveEmpty_whenGivenNull() {
        assertThat(TableRef.parse(null, "us-east-1", ACCOUNT)).isEmpty();
    }
}
