package dev.ddbwarden.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.config.SignedHttp;
import dev.ddbwarden.event.JsonText;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Security Hub CSPM's BatchImportFindings spoken directly (REST-JSON, SigV4 for the service
 * {@code securityhub}): the registry serves no SDK module for Security Hub at the BOM's version. A finding must be
 * imported by the account its AwsAccountId names, so each call is signed with that account's credentials (the member
 * role's, through {@code AccountAccess}); the endpoint is the one the SDK's settings name
 * ({@code AWS_ENDPOINT_URL_SECURITYHUB}, then {@code AWS_ENDPOINT_URL}), else Security Hub's regional endpoint.
 */
final class SecurityHubApi implements FindingsApi {
    private static final int MAX_BODY = 4 * 1024 * 1024;

    private final SdkHttpClient http;
    private final Function<String, AwsCredentialsProvider> credentials;
    private final Map<String, SignedHttp> signed = new ConcurrentHashMap<>();

    /** @param credentials the credentials to act with in an account */
    SecurityHubApi(SdkHttpClient http, Function<String, AwsCredentialsProvider> credentials) {
        this.http = http;
        this.credentials = credentials;
    }

    @Override
    public Imported batchImport(String account, String region, List<ObjectNode> findings) throws IOException {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("Findings").addAll(findings);
        SignedHttp.Answer answer = post(account, region, "/findings/import", body);
        JsonNode json = answer.json();
        List<Imported.Failure> failures = new ArrayList<>();
        for (JsonNode failed : json.path("FailedFindings")) {
            failures.add(new Imported.Failure(failed.path("Id").asText(""), failed.path("ErrorCode").asText(""),
                    failed.path("ErrorMessage").asText("")));
        }
        return new Imported(json.path("SuccessCount").asInt(0), json.path("FailedCount").asInt(failures.size()), failures);
    }

    private SignedHttp.Answer post(String account, String region, String path, ObjectNode body) throws IOException {
        URI endpoint = endpoint(region);
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/$", "");
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint).encodedPath(base + path)
                .putHeader("Content-Type", "application/json").build();
        SignedHttp client = signed.computeIfAbsent(account, a -> new SignedHttp(http, credentials.apply(a), "securityhub"));
        SignedHttp.Answer answer = client.send(request, JsonText.write(body).getBytes(StandardCharsets.UTF_8), region, MAX_BODY);
        if (!answer.ok()) {
            throw new Refused(answer.status(), answer.errorType(), answer.message());
        }
        return answer;
    }

    static URI endpoint(String region) {
        return SignedHttp.endpoint("SecurityHub", "securityhub", region, System::getProperty, System::getenv);
    }
}
