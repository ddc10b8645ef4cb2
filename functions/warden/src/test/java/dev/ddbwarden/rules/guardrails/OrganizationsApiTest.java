package dev.ddbwarden.rules.guardrails;

import dev.ddbwarden.config.SignedHttp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How ddb-warden's AWS Organizations client finds its endpoint and sorts AWS Organizations' errors (AWS JSON 1.1:
 * the type in {@code x-amzn-ErrorType} or the body's {@code __type}); GuardrailsIT sends its requests to moto_server.
 */
class OrganizationsApiTest {

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void endpoint_shouldFollowTheSdksSettings_thenThePartitionsDomain() {
        Map<String, String> none = Map.of();
        assertThat(OrganizationsApi.endpoint("us-east-1", none::get, none::get)).isEqualTo("https://organizations.us-east-1.amazonaws.com");
        assertThat(OrganizationsApi.endpoint("cn-northwest-1", none::get, none::get))
                .isEqualTo("https://organizations.cn-northwest-1.amazonaws.com.cn");
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_ORGANIZATIONS", " http://127.0.0.1:6000 ");
        assertThat(OrganizationsApi.endpoint("us-east-1", none::get, env::get)).isEqualTo("http://127.0.0.1:6000");
        Map<String, String> properties = Map.of("aws.endpointUrl", "http://127.0.0.1:7000");
        assertThat(OrganizationsApi.endpoint("us-east-1", properties::get, Map.of("AWS_ENDPOINT_URL", "http://x")::get))
                .isEqualTo("http://127.0.0.1:7000");
    }

    @Test
    void policyNotFound_shouldBeGone_andARefusalUnreadable() {
        assertThat(OrganizationsApi.failure(SignedHttp.answer(400, "", body("{\"__type\":\"PolicyNotFoundException\",\"Message\":\"no such policy\"}"))))
                .isEqualTo(new PolicyRead.Gone("HTTP 400 PolicyNotFoundException: no such policy"));
        assertThat(OrganizationsApi.failure(SignedHttp.answer(400, "AccessDeniedException:http://internal.amazon.com/", body(""))))
                .isInstanceOf(PolicyRead.Unreadable.class)
                .satisfies(read -> assertThat(((PolicyRead.Unreadable) read).reason()).isEqualTo("HTTP 400 AccessDeniedException"));
        assertThat(OrganizationsApi.failure(SignedHttp.answer(400, "", body("{\"__type\":\"com.amazonaws#AWSOrganizationsNotInUseException\"}"))))
                .isInstanceOf(PolicyRead.Unreadable.class);
    }

    @Test
    void throttlingAndServerErrors_shouldBeThrown_forLambdasRetry() {
        assertThatThrownBy(() -> OrganizationsApi.failure(SignedHttp.answer(400, "TooManyRequestsException", body(""))))
                .isInstanceOf(OrganizationsApi.Unanswered.class);
        assertThatThrownBy(() -> OrganizationsApi.failure(SignedHttp.answer(500, "", body("not json"))))
                .isInstanceOf(OrganizationsApi.Unanswered.class);
    }
}
