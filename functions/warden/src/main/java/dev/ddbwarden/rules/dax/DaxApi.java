package dev.ddbwarden.rules.dax;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.event.Json;
import dev.ddbwarden.event.JsonText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DescribeClusters spoken directly (JSON 1.1, target {@code AmazonDAXV3}, SigV4 for the service {@code dax}): the
 * registry serves no SDK module for DAX at the BOM's version, and this is the one call the rule makes. The endpoint
 * comes from the settings the SDK reads ({@code aws.endpointUrlDax} / AWS_ENDPOINT_URL_DAX, then {@code aws.endpointUrl} /
 * AWS_ENDPOINT_URL), else DAX's regional endpoint; credentials from the SDK's default chain; the HTTP client is the one
 * every SDK client shares. A refusal or an error is thrown as the SDK's clients throw them (AwsServiceException with
 * DAX's error code, SdkClientException), so the handler treats it as any AWS error and Lambda retries the event.
 */
final class DaxApi implements DaxClusters {
    private static final Logger LOG = LoggerFactory.getLogger(DaxApi.class);
    private static final String TARGET = "AmazonDAXV3.DescribeClusters";
    private static final String NOT_FOUND = "ClusterNotFoundFault";
    private static final int MAX_PAGES = 20;

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;

    DaxApi(SdkHttpClient http, AwsCredentialsProvider credentials) {
        this.http = http;
        this.credentials = credentials;
    }

    static DaxApi standard() {
        return new DaxApi(Clients.http(), DefaultCredentialsProvider.builder().build());
    }

    @Override
    public List<DaxCluster> describe(String region, Optional<String> name) {
        List<DaxCluster> clusters = new ArrayList<>();
        String token = "";
        for (int page = 0; page < MAX_PAGES; page++) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            name.ifPresent(n -> body.putArray("ClusterNames").add(n));
            if (!token.isEmpty()) {
                body.put("NextToken", token);
            }
            Optional<JsonNode> answer = call(region, JsonText.write(body));
            if (answer.isEmpty()) {
                return List.of();
            }
            for (JsonNode cluster : answer.get().path("Clusters")) {
                clusters.add(new DaxCluster(Json.text(cluster, "ClusterName"), Json.text(cluster, "ClusterArn"), region,
                        Json.text(cluster, "SSEDescription", "Status"), Json.text(cluster, "ClusterEndpointEncryptionType"),
                        Json.text(cluster, "IamRoleArn"), Json.text(cluster, "Status")));
            }
            token = Json.text(answer.get(), "NextToken");
            if (token.isEmpty()) {
                return List.copyOf(clusters);
            }
        }
        throw new IllegalStateException("DescribeClusters in " + region + " kept answering NextToken after " + MAX_PAGES + " pages");
    }

    /**
     * The answer, or empty when DAX says the named cluster does not exist, or when the region has no DAX endpoint at all
     * (DAX is not offered in every region): no endpoint, no cluster.
     */
    private Optional<JsonNode> call(String region, String body) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint(region))
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", TARGET).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                .request(request).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dax")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            byte[] text;
            Optional<? extends InputStream> stream = response.responseBody();
            try (InputStream in = stream.isPresent() ? stream.get() : InputStream.nullInputStream()) {
                text = in.readAllBytes();
            }
            JsonNode answer = text.length == 0 ? JsonNodeFactory.instance.objectNode() : JsonText.read(text);
            int status = response.httpResponse().statusCode();
            if (status / 100 == 2) {
                return Optional.of(answer);
            }
            String type = Json.text(answer, "__type");
            if (status == 400 && type.endsWith(NOT_FOUND)) {
                return Optional.empty();
            }
            String message = Json.text(answer, "message") + Json.text(answer, "Message");
            throw AwsServiceException.builder().statusCode(status)
                    .message("DAX DescribeClusters in " + region + " answered HTTP " + status + " " + type + " " + message)
                    .awsErrorDetails(AwsErrorDetails.builder().serviceName("DAX").errorCode(type.substring(type.indexOf('#') + 1))
                            .errorMessage(message).sdkHttpResponse(response.httpResponse()).build())
                    .build();
        } catch (UnknownHostException e) {
            LOG.info("DAX has no endpoint in {} ({}): no cluster there", region, e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            throw SdkClientException.create("DAX DescribeClusters in " + region + " failed: " + e.getMessage(), e);
        }
    }

    static URI endpoint(String region) {
        String own = setting("aws.endpointUrlDax", "AWS_ENDPOINT_URL_DAX");
        String shared = own.isEmpty() ? setting("aws.endpointUrl", "AWS_ENDPOINT_URL") : own;
        return URI.create(shared.isEmpty() ? "https://dax." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "")
                : shared);
    }

    private static String setting(String property, String variable) {
        String value = System.getProperty(property);
        return value != null ? value : Optional.ofNullable(System.getenv(variable)).orElse("");
    }
}
