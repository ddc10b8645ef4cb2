package dev.ddbwarden.rules.dax;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.PerAccount;
import dev.ddbwarden.config.SignedHttp;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.SdkHttpRequest;
import dev.ddbwarden.event.Json;
import dev.ddbwarden.event.JsonText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;

import java.io.IOException;
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

    private static final int MAX_BODY = 4 * 1024 * 1024;
    private final SignedHttp signed;

    DaxApi(SdkHttpClient http, AwsCredentialsProvider credentials) {
        this.signed = new SignedHttp(http, credentials, "dax");
    }

    /** The container's clients, one per account ({@link PerAccount}), each with that account's credentials. */
    static PerAccount<DaxClusters> perAccount() {
        return PerAccount.of(credentials -> new DaxApi(Clients.http(), credentials));
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
        URI endpoint = endpoint(region);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .encodedPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", TARGET).build();
        try {
            SignedHttp.Answer answer = signed.send(request, body.getBytes(StandardCharsets.UTF_8), region, MAX_BODY);
            if (answer.ok()) {
                return Optional.of(answer.json());
            }
            String type = answer.errorType();
            if (answer.status() == 400 && NOT_FOUND.equals(type)) {
                return Optional.empty();
            }
            throw AwsServiceException.builder().statusCode(answer.status())
                    .message("DAX DescribeClusters in " + region + " answered HTTP " + answer.status() + " " + type + " "
                            + answer.message())
                    .awsErrorDetails(AwsErrorDetails.builder().serviceName("DAX").errorCode(type)
                            .errorMessage(answer.message()).build())
                    .build();
        } catch (UnknownHostException e) {
            LOG.info("DAX has no endpoint in {} ({}): no cluster there", region, e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            throw SdkClientException.create("DAX DescribeClusters in " + region + " failed: " + e.getMessage(), e);
        }
    }

    static URI endpoint(String region) {
        return SignedHttp.endpoint("Dax", "dax", region, System::getProperty, System::getenv);
    }
}
