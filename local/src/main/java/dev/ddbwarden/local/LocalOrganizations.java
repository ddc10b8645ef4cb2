package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * AWS Organizations in moto_server, for the guardrails rule's demo and tests: an organization (moto keeps one per
 * account, for as long as the server runs), its root, an OU and ddb-warden's policies, made with the same signed AWS
 * JSON 1.1 calls the function's own client speaks (no SDK module for Organizations is served here).
 */
public final class LocalOrganizations implements AutoCloseable {
    /** The policy and OU the guardrails samples in events/ name; {@link #event} puts the local ones in their place. */
    public static final String SAMPLE_POLICY_ID = "p-ddbw0delete";
    public static final String SAMPLE_TARGET = "ou-ab12-cdef3456";
    public static final String SAMPLE_ROOT = "r-ab12";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final URI endpoint;

    public LocalOrganizations(String endpoint) {
        this.endpoint = URI.create(endpoint);
    }

    /** The organization's root, the organization made first when this account has none; SCPs enabled on it. */
    public String root() {
        if (call("DescribeOrganization", JSON.createObjectNode()).has("__type")) {
            call("CreateOrganization", JSON.createObjectNode().put("FeatureSet", "ALL"));
        }
        JsonNode root = call("ListRoots", JSON.createObjectNode()).path("Roots").path(0);
        boolean enabled = false;
        for (JsonNode type : root.path("PolicyTypes")) {
            enabled |= "SERVICE_CONTROL_POLICY".equals(type.path("Type").asText()) && "ENABLED".equals(type.path("Status").asText());
        }
        if (!enabled) {
            require(call("EnablePolicyType", JSON.createObjectNode().put("RootId", root.path("Id").asText())
                    .put("PolicyType", "SERVICE_CONTROL_POLICY")));
        }
        return root.path("Id").asText();
    }

    /** A new OU under the root; returns its ID. */
    public String createOu(String name) {
        return require(call("CreateOrganizationalUnit", JSON.createObjectNode().put("ParentId", root()).put("Name", name)))
                .path("OrganizationalUnit").path("Id").asText();
    }

    /** A new OU under {@code parent} (the root or an OU); returns its ID. */
    public String createOu(String name, String parent) {
        return require(call("CreateOrganizationalUnit", JSON.createObjectNode().put("ParentId", parent).put("Name", name)))
                .path("OrganizationalUnit").path("Id").asText();
    }

    /** A new member account (moto makes it at once), under the root; returns its ID. */
    public String createAccount(String name) {
        return require(call("CreateAccount", JSON.createObjectNode().put("AccountName", name).put("Email", name + "@example.com")))
                .path("CreateAccountStatus").path("AccountId").asText();
    }

    /** MoveAccount from one parent to another. */
    public void move(String account, String from, String to) {
        require(call("MoveAccount", JSON.createObjectNode().put("AccountId", account).put("SourceParentId", from)
                .put("DestinationParentId", to)));
    }

    /** A new service control policy; returns its ID. */
    public String createScp(String name, String content) {
        return require(call("CreatePolicy", JSON.createObjectNode().put("Name", name).put("Description", name)
                .put("Type", "SERVICE_CONTROL_POLICY").put("Content", content))).path("Policy").path("PolicySummary").path("Id").asText();
    }

    public void attach(String policyId, String target) {
        require(call("AttachPolicy", JSON.createObjectNode().put("PolicyId", policyId).put("TargetId", target)));
    }

    public void detach(String policyId, String target) {
        require(call("DetachPolicy", JSON.createObjectNode().put("PolicyId", policyId).put("TargetId", target)));
    }

    public void delete(String policyId) {
        require(call("DeletePolicy", JSON.createObjectNode().put("PolicyId", policyId)));
    }

    /** UpdatePolicy with the fields given (Name, Content, Description). */
    public void update(String policyId, ObjectNode fields) {
        require(call("UpdatePolicy", fields.deepCopy().put("PolicyId", policyId)));
    }

    /** DisablePolicyType of service control policies on {@code root}. */
    public void disableScps(String root) {
        require(call("DisablePolicyType", JSON.createObjectNode().put("RootId", root).put("PolicyType", "SERVICE_CONTROL_POLICY")));
    }

    /** A guardrails sample with the local policy, OU and root in place of the sample's. */
    public static String event(String sample, String policyId, String target, String root) {
        return sample.replace(SAMPLE_POLICY_ID, policyId).replace(SAMPLE_TARGET, target).replace("\"" + SAMPLE_ROOT + "\"",
                "\"" + root + "\"");
    }

    private static JsonNode require(JsonNode answer) {
        if (answer.has("__type")) {
            throw new IllegalStateException("moto_server refused: " + answer);
        }
        return answer;
    }

    /** One signed AWS JSON 1.1 call; an error is answered as its body ({@code __type}, {@code message}). */
    private JsonNode call(String operation, ObjectNode body) {
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint).encodedPath("/")
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AWSOrganizationsV20161128." + operation).build();
        AwsCredentialsIdentity identity = DefaultCredentialsProvider.builder().build().resolveIdentity().join();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(payload))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "organizations")
                .putProperty(AwsV4HttpSigner.REGION_NAME, LocalAws.REGION)).request();
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed)
                    .contentStreamProvider(ContentStreamProvider.fromByteArrayUnsafe(payload)).build()).call();
            byte[] answer = response.responseBody().isPresent() ? response.responseBody().get().readAllBytes() : new byte[0];
            return answer.length == 0 ? JSON.createObjectNode() : JSON.readTree(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
