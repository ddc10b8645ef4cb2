package dev.ddbwarden.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new replica is protected with UpdateTable on the replica's own ARN, in its own region: DynamoDB's global
 * tables security page ("Global tables replicas are DynamoDB tables", so access to them is controlled as for
 * any table; https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/globaltables-security.html)
 * names no other permission for a replica's own settings. The roles of the deletion-protection rule and of
 * the sweep must allow its reads and that call there, not only in the home region.
 */
class ReplicaGrantsTest {
    /** A replica of a home-region table, in another region of the same account. */
    private static final String REPLICA = "arn:aws:dynamodb:eu-west-1:" + LocalAws.ACCOUNT + ":table/orders";
    private static Template template;
    private static TemplateValues values;

    @BeforeAll
    static void load() throws Exception {
        template = Project.template();
        values = new TemplateValues(template.parameters(), Map.of(), LocalAws.REGION, LocalAws.ACCOUNT);
    }

    @ParameterizedTest(name = "{0} may {1} a replica in another region")
    @CsvSource({"DeletionProtectionRole, dynamodb:DescribeTable", "DeletionProtectionRole, dynamodb:ListTagsOfResource",
            "DeletionProtectionRole, dynamodb:UpdateTable", "SweepRegionRole, dynamodb:DescribeTable",
            "SweepRegionRole, dynamodb:ListTagsOfResource", "SweepRegionRole, dynamodb:UpdateTable"})
    void role_shouldAllowTheCall_onTheReplicasArn(String role, String action) {
        assertThat(LocalAws.REGION).isNotEqualTo("eu-west-1");
        boolean allowed = template.roleStatements(role).stream()
                .filter(statement -> "Allow".equals(statement.get("Effect")))
                .filter(statement -> Template.list(statement.get("Action")).contains(action))
                .flatMap(statement -> Template.list(statement.get("Resource")).stream())
                .map(values::resolve)
                .anyMatch(resource -> glob(resource).matcher(REPLICA).matches());

        assertThat(allowed).as("%s allows %s on %s", role, action, REPLICA).isTrue();
    }

    /** An IAM resource pattern: * any run of characters, ? one. */
    private static Pattern glob(String resource) {
        StringBuilder regex = new StringBuilder();
        for (char c : resource.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }
}
