package dev.ddbwarden.rules.guardrails;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.PartitionMetadata;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * ddb-warden's own AWS Organizations client, for its one call, DescribePolicy, because the SDK's
 * {@code organizations} module is not served at the BOM's version by the registry this project builds from
 * (2.57.8 refused; the newest it serves is 2.40.2). AWS Organizations speaks AWS JSON 1.1 (a POST of
 * {@code {"PolicyId": ...}} with {@code X-Amz-Target: AWSOrganizationsV20161128.DescribePolicy}); the request is
 * signed by the SDK's own SigV4 signer (signing name {@code organizations}) with the SDK's default credentials chain
 * and sent on the HTTP client every other client uses, so nothing is added to the deployable artifact. Throttling,
 * 5xx and lost connections are tried three times, then thrown for Lambda's retry.
 */
final class OrganizationsApi implements PolicyReader {
    static final String SIGNING_NAME = "organizations";
    static final String TARGET = "AWSOrganizationsV20161128.DescribePolicy";
    static final int ATTEMPTS = 3;
    private static final Duration BACKOFF = Duration.ofMillis(200);
    private static final int MAX_BODY = 1024 * 1024;

    private final SdkHttpClient http;
    private final UnaryOperator<String> endpoints;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final Sleeper sleeper;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /** @param endpoints the endpoint for a region ({@link #endpoint}) */
    OrganizationsApi(SdkHttpClient http, UnaryOperator<String> endpoints,
                     IdentityProvider<? extends AwsCredentialsIdentity> credentials, Sleeper sleeper) {
        this.http = http;
        this.endpoints = endpoints;
        this.credentials = credentials;
        this.sleeper = sleeper;
    }

    /** The container's client, from the SDK's default chain; built when the guardrails rule first reads. */
    static OrganizationsApi standard() {
        return new OrganizationsApi(Clients.http(), region -> endpoint(region, System::getProperty, System::getenv),
                DefaultCredentialsProvider.builder().build(), Sleeper.REAL);
    }

    /**
     * Where AWS Organizations answers for a call recorded in {@code region}, as the SDK's clients find it:
     * {@code aws.endpointUrlOrganizations} or AWS_ENDPOINT_URL_ORGANIZATIONS, then {@code aws.endpointUrl} or
     * AWS_ENDPOINT_URL, else {@code organizations.REGION.} and the partition's DNS suffix (the calls are recorded in
     * us-east-1, where the aws partition's endpoint is).
     */
    static String endpoint(String region, UnaryOperator<String> properties, UnaryOperator<String> environment) {
        for (String[] names : new String[][]{{"aws.endpointUrlOrganizations", "AWS_ENDPOINT_URL_ORGANIZATIONS"},
                {"aws.endpointUrl", "AWS_ENDPOINT_URL"}}) {
            String configured = Optional.ofNullable(properties.apply(names[0])).filter(v -> !v.isBlank())
                    .orElse(environment.apply(names[1]));
            if (configured != null && !configured.isBlank()) {
                return configured.strip();
            }
        }
        return "https://" + SIGNING_NAME + "." + region + "." + PartitionMetadata.of(TableRef.partitionOf(region)).dnsSuffix();
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
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SdkHttpRequest signed = signer.sign(r -> r.identity(identity).request(request)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed)
                    .contentStreamProvider(ContentStreamProvider.fromByteArrayUnsafe(body)).build()).call();
            int status = response.httpResponse().statusCode();
            byte[] answer = response.responseBody().isPresent() ? read(response.responseBody().get()) : new byte[0];
            if (status / 100 == 2) {
                return found(JsonText.read(answer).path("Policy"));
            }
            return failure(status, response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse(""), answer);
        } catch (JsonProcessingException e) {
            return new PolicyRead.Unreadable("AWS Organizations answered with something that is not JSON");
        } catch (IOException e) {
            throw new Unanswered("AWS Organizations did not answer: " + e.getClass().getSimpleName(), e);
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

    /** AWS Organizations' error, by the type it names (JSON 1.1 sends it in the header or as {@code __type}). */
    static PolicyRead failure(int status, String typeHeader, byte[] body) {
        String type = typeHeader;
        String message = "";
        try {
            JsonNode error = body.length == 0 ? JsonText.read("{}") : JsonText.read(body);
            type = type.isEmpty() ? error.path("__type").asText("") : type;
            message = error.path("Message").asText(error.path("message").asText(""));
        } catch (JsonProcessingException e) {
            message = "";
        }
        type = type.replaceAll(":.*$", "").replaceAll("^.*#", "");
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

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IOException("an answer over " + MAX_BODY + " bytes");
            }
            return body;
        }
    }
}
