package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A document's intrinsic functions are resolved wherever they stand in it, as the demo's member role and the event
 * patterns need: a {@code Fn::Split} gives a list, a {@code Ref} its value, and what is not a function is kept.
 */
class TemplateValuesTest {
    private static final TemplateValues VALUES = new TemplateValues(
            Map.of("AllowedRegions", Map.of("Type", "CommaDelimitedList", "Default", "us-east-1")),
            Map.of("AllowedRegions", "eu-west-1,eu-central-1"), LocalAws.REGION, "222222222222");

    @Test
    void resolveWithin_shouldResolveEveryFunctionInADocument_andKeepTheRest() {
        Map<String, Object> statement = Map.of(
                "Effect", "Allow",
                "Principal", Map.of("AWS", Map.of("Fn::Sub", "arn:aws:iam::${AWS::AccountId}:root")),
                "Resource", Map.of("Fn::Split", List.of(",", Map.of("Fn::Join", List.of("", List.of("arn:*:dynamodb:",
                        Map.of("Fn::Join", List.of(":*:table/*,arn:*:dynamodb:", Map.of("Ref", "AllowedRegions"))),
                        ":*:table/*"))))));

        Object resolved = VALUES.resolveWithin(Map.of("Statement", List.of(statement)));

        assertThat(resolved).isEqualTo(Map.of("Statement", List.of(Map.of(
                "Effect", "Allow",
                "Principal", Map.of("AWS", "arn:aws:iam::222222222222:root"),
                "Resource", List.of("arn:*:dynamodb:eu-west-1:*:table/*", "arn:*:dynamodb:eu-central-1:*:table/*")))));
    }

    @Test
    void resolveWithin_shouldChooseEachFnIf_byItsCondition_andLeaveOutNoValue() {
        Map<String, Object> conditions = Map.of(
                "InEurope", Map.of("Fn::Equals", List.of(Map.of("Ref", "AllowedRegions"), "eu-west-1,eu-central-1")),
                "InAsia", Map.of("Fn::Equals", List.of(Map.of("Ref", "AllowedRegions"), "ap-southeast-2")));
        Map<String, Object> read = Map.of("Sid", "Read");
        Map<String, Object> policy = Map.of("Statement", List.of(read,
                Map.of("Fn::If", List.of("InEurope", Map.of("Sid", "Europe"), Map.of("Ref", "AWS::NoValue"))),
                Map.of("Fn::If", List.of("InAsia", Map.of("Sid", "Asia"), Map.of("Ref", "AWS::NoValue")))));

        assertThat(VALUES.resolveWithin(policy, conditions))
                .isEqualTo(Map.of("Statement", List.of(read, Map.of("Sid", "Europe"))));
    }
}
