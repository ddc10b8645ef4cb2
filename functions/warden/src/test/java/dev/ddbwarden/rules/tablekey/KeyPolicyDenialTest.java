package dev.ddbwarden.rules.tablekey;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which key policies take DynamoDB's use of the key away. */
class KeyPolicyDenialTest {
    private static final String ACCOUNT = "123456789012";
    private static final String ADMIN = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\"}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            deny everyone decrypt                   | {"Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*"}                                                                        | true
            deny the account every kms call         | {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}                                       | true
            deny via DynamoDB only                  | {"Effect":"Deny","Principal":"*","Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"StringLike":{"kms:ViaService":"dynamodb.*.amazonaws.com"}}} | true
            deny all but signing (NotAction)        | {"Effect":"Deny","Principal":"*","NotAction":["kms:Sign","kms:Verify"],"Resource":"*"}                                                      | true
            deny on another condition               | {"Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}                  | false
            deny one role                           | {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"kms:Decrypt","Resource":"*"}                              | false
            deny key administration only            | {"Effect":"Deny","Principal":"*","Action":["kms:ScheduleKeyDeletion","kms:Disable*"],"Resource":"*"}                                         | false
            allow only                              | {"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}                                                                      | false
            """)
    void keyPolicy(String name, String statement, boolean denies) {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + ADMIN + "," + statement + "]}";

        assertThat(KeyPolicyDenial.in(policy, ACCOUNT).isPresent()).as(name).isEqualTo(denies);
    }

    @ParameterizedTest
    @CsvSource({"not json", "'{\"Statement\":\"nonsense\"}'"})
    void unreadablePolicy_shouldDenyNothing(String policy) {
        assertThat(KeyPolicyDenial.in(policy, ACCOUNT)).isEmpty();
    }
}
