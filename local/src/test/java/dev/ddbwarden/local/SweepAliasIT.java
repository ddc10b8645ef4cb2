package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep's state machine as CloudFormation receives it, through SAM's translator (a Python process, hence an
 * integration test; SweepTemplateTest holds the rest of its shape).
 */
class SweepAliasIT {

    /** What CloudFormation receives: SAM resolves `.Alias` to the alias it publishes, named live, SnapStart on. */
    @Test
    void sweepAlias_shouldBeTheLiveAlias_ofASnapStartFunction_onceSamTranslatesIt() throws Exception {
        JsonNode resources = SamTranslation.translate().get("Resources");

        JsonNode substituted = resources.at("/SweepStateMachine/Properties/DefinitionSubstitutions/SweepFunctionArn/Ref");
        List<String> invoked = new ArrayList<>();
        for (JsonNode statement : resources.at("/SweepStateMachineRole/Properties/Policies/0/PolicyDocument/Statement")) {
            if (statement.get("Action").toString().contains("lambda:InvokeFunction")) {
                statement.get("Resource").forEach(resource -> invoked.add(resource.toString()));
            }
        }
        assertThat(substituted.asText()).isNotEmpty();
        assertThat(invoked).containsExactly("{\"Ref\":\"" + substituted.asText() + "\"}");
        JsonNode alias = resources.get(substituted.asText());
        assertThat(alias.at("/Type").asText()).isEqualTo("AWS::Lambda::Alias");
        assertThat(alias.at("/Properties/Name").asText()).isEqualTo("live");
        assertThat(alias.at("/Properties/FunctionName/Ref").asText()).isEqualTo("SweepRegionFunction");
        assertThat(resources.at("/SweepRegionFunction/Properties/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
    }
}
