package dev.ddbwarden.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which of some actions identity policies allow, read as IAM reads them and erring towards "allowed". */
class IdentityActionsTest {
    private static final List<String> WRITES = List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteTable");

    private static IdentityActions.Allowed allowed(String... policies) {
        List<IdentityActions.Named> named = new java.util.ArrayList<>();
        for (int i = 0; i < policies.length; i++) {
            named.add(new IdentityActions.Named("p" + i, policies[i]));
        }
        return IdentityActions.allowed(named, WRITES);
    }

    private static String allow(String actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":" + actions
                + ",\"Resource\":\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\"}]}";
    }

    @ParameterizedTest(name = "{0} allows {1}")
    @CsvSource(delimiter = '|', value = {
            "'\"dynamodb:*\"'                                   | dynamodb:PutItem dynamodb:UpdateItem dynamodb:DeleteTable",
            "'\"*\"'                                            | dynamodb:PutItem dynamodb:UpdateItem dynamodb:DeleteTable",
            "'[\"DynamoDB:putitem\"]'                           | dynamodb:PutItem",
            "'[\"dynamodb:*Item\"]'                             | dynamodb:PutItem dynamodb:UpdateItem",
            "'[\"dynamodb:?pdateItem\"]'                        | dynamodb:UpdateItem",
            "'[\"dynamodb:GetItem\",\"dynamodb:Query\"]'        | ''",
            "'[\"dynamodb:Describe*\",\"dynamodb:Get*\"]'       | ''",
            "'[\"dax:PutItem\"]'                                | ''"})
    void anAllow_shouldGrantTheActionsItsPatternsMatch(String actions, String expected) {
        assertThat(allowed(allow(actions)).actions())
                .containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected.split(" ")));
    }

    @Test
    void notAction_shouldGrantEverythingItDoesNotName() {
        String policy = "{\"Statement\":{\"Effect\":\"Allow\",\"NotAction\":[\"dynamodb:Delete*\"],\"Resource\":\"*\"}}";

        assertThat(allowed(policy).actions()).containsExactly("dynamodb:PutItem", "dynamodb:UpdateItem");
    }

    @Test
    void aDenyEverywhere_shouldTakeTheActionAway_butANarrowOrConditionalOneShouldNot() {
        String denyAll = "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"dynamodb:PutItem\",\"Resource\":\"*\"}]}";
        String denyOne = "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"dynamodb:UpdateItem\",\"Resource\":\"arn:aws:dynamodb:us-east-1:1:table/a\"}]}";
        String denyIf = "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"dynamodb:DeleteTable\",\"Resource\":\"*\","
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}";

        IdentityActions.Allowed result = allowed(allow("\"dynamodb:*\""), denyAll, denyOne, denyIf);

        assertThat(result.actions()).containsExactly("dynamodb:UpdateItem", "dynamodb:DeleteTable");
        assertThat(result.grantedBy()).containsExactly("p0");
    }

    @Test
    void anUnreadablePolicy_shouldBeNamedWithWhy_andGrantNothingItself() {
        IdentityActions.Allowed result = allowed("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:PutItem\","
                + "\"action\":\"dynamodb:GetItem\",\"Resource\":\"*\"}]}", allow("[\"dynamodb:GetItem\"]"));

        assertThat(result.actions()).isEmpty();
        assertThat(result.grantedBy()).isEmpty();
        assertThat(result.unreadable()).singleElement().asString().startsWith("p0 (").contains("twice");
    }
}
