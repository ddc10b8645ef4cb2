package dev.ddbwarden.rules.guardrails;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.PerAccount;
import dev.ddbwarden.config.SignedHttp;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * ddb-warden's own AWS Organizations client, for its one call, DescribePolicy, because the SDK's
 * {@code organizations} module is not served at the BOM's version by the registry this project builds from
 * (2.57.8 refused; the newest it serves is 2.40.2). AWS Organizations speaks AWS JSON 1.1 (a POST of
 * {@code {"PolicyId": ...}} with {@code X-Amz-Target: AWSOrganizationsV20161128.DescribePolicy}); the request is
 * signed by the SDK's own SigV4 signer (signing name {@code organizations}) with the credentials of the account the
 * call was recorded in ({@link #perAccount}) and sent on the HTTP client every other client uses, so nothing is added to the deployable artifact. Throttling,
 * 5xx and lost connections are tried three times, then thrown for Lambda's retry.
 */
final class OrganizationsApi implements PolicyReader {
    static final String SIGNING_NAME = "organizations";
    static final String TARGET = "AWSOrganizationsV20161128.DescribePolicy";
    static final int ATTEMPTS = 3;
    private static final Duration BACKOFF = Duration.ofMillis(200);
    private static final int MAX_BODY = 1024 * 1024;

    private final SignedHttp signed;
    private final UnaryOperator<String> endpoints;
    private final Sleeper sleeper;

    /** @param endpoints the endpoint for a region ({@link #endpoint}) */
    OrganizationsApi(SdkHttpClient http, UnaryOperator<String> endpoints,
                     IdentityProvider<? extends AwsCredentialsIdentity> credentials, Sleeper sleeper) {
        this.signed = new SignedHttp(http, credentials, SIGNING_NAME);
        this.endpoints = endpoints;
        this.sleeper = sleeper;
    }

    /**
     * The container's clients, one per account ({@link PerAccount}), each with that account's credentials: a call is
     * recorded in the account that made it, the management account or a delegated administrator for policy management,
     * which may read the organization's policies; the security account need be neither. Built on the first read there.
     */
    static PerAccount<PolicyReader> perAccount() {
        return PerAccount.of(credentials -> new OrganizationsApi(Clients.http(),
                region -> endpoint(region, System::getProperty, System::getenv), credentials, Sleeper.REAL));
    }

    /**
     * Where AWS Organizations answers for a call recorded in {@code region}, as the SDK's clients find it:
     * {@code aws.endpointUrlOrganizations} or AWS_ENDPOINT_URL_ORGANIZATIONS, then {@code aws.endpointUrl} or
     * AWS_ENDPOINT_URL, else {@code organizations.REGION.} and the partition's DNS suffix (the calls are recorded in
     * us-east-1, where the aws partition's endpoint is).
     */
    static String endpoint(String region, UnaryOperator<String> properties, UnaryOperator<String> environment) {
        return SignedHttp.endpoint("Organizations", SIGNING_NAME, region, properties, environment).toString();
    }

    @Override
    public PolicyRead describe(String policyId, String region) {
        byte[] body = JsonText.write(JsonNodeFactory.instance.objectNode().put("PolicyId", policyId)).getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(endpoints.apply(region));
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .encodedPath(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", TARGET).build();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                sleeper.pause(BACKOFF.multipliedBy(1L << (attempt - 2)), "to ask AWS Organizations again");
            }
            try {
                return send(request, body, region);
            } catch (Unanswered e) {
                last = e;
            }
        }
        throw last;
    }

    /** AWS Organizations gave no answer for now (throttled, 5xx, no connection): Lambda's retry tries the event again. */
    static final class Unanswered extends RuntimeException {
        Unanswered(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private PolicyRead send(SdkHttpRequest request, byte[] body, String region) {
        SignedHttp.Answer answer;
        try {
            answer = signed.send(request, body, region, MAX_BODY);
        } catch (IOException e) {
            throw new Unanswered("AWS Organizations did not answer: " + e.getClass().getSimpleName(), e);
        }
        if (!answer.ok()) {
            return failure(answer);
        }
        try {
            return found(answer.json().path("Policy"));
        } catch (JsonProcessingException e) {
            return new PolicyRead.Unreadable("AWS Organizations answered with something that is not JSON");
        }
    }

    private static PolicyRead found(JsonNode policy) {
        JsonNode summary = policy.path("PolicySummary");
        if (!summary.path("Id").isTextual() || !policy.path("Content").isTextual()) {
            return new PolicyRead.Unreadable("AWS Organizations' answer holds no policy");
        }
        return new PolicyRead.Found(summary.path("Id").asText(), summary.path("Arn").asText(""),
                summary.path("Name").asText(""), summary.path("Type").asText(""), summary.path("AwsManaged").asBoolean(false),
                policy.path("Content").asText());
    }

    /** AWS Organizations' error, by the type it names and the status. */
    static PolicyRead failure(SignedHttp.Answer answer) {
        int status = answer.status();
        String type = answer.errorType();
        String message = answer.message();
        String what = ("HTTP " + status + " " + type + (message.isEmpty() ? "" : ": " + message)).strip();
        what = what.length() > 300 ? what.substring(0, 300) : what;
        if ("PolicyNotFoundException".equals(type)) {
            return new PolicyRead.Gone(what);
        }
        if (status == 429 || status / 100 == 5 || type.contains("Throttl") || "TooManyRequestsException".equals(type)
                || "ServiceException".equals(type)) {
            throw new Unanswered(what, null);
        }
        return new PolicyRead.Unreadable(what);
    }
}
