package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Security Hub's GetFindings against a local endpoint, signed as the AWS CLI would sign it with the given credentials
 * (the securityhub SDK module does not resolve here): what moto_server keeps for that account and region.
 */
final class LocalSecurityHub {
    private LocalSecurityHub() {
    }

    /** Every finding the endpoint holds for the credentials' account in {@code region} (moto applies no filter). */
    static List<JsonNode> findings(String endpoint, AwsCredentialsProvider credentials, String region)
            throws IOException, InterruptedException {
        URI uri = URI.create(endpoint + "/findings");
        byte[] body = "{\"MaxResults\":100}".getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                        .putHeader("Content-Type", "application/json").build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "securityhub")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                request.header(name, values.get(0));
            }
        });
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GetFindings answered " + response.statusCode() + ": " + response.body());
        }
        List<JsonNode> findings = new ArrayList<>();
        new ObjectMapper().readTree(response.body()).path("Findings").forEach(findings::add);
        return findings;
    }
}
