package dev.ddbwarden.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ddbwarden.event.JsonText;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * AWS Organizations' ListParents, for the settings of an account's OUs ({@link OuPaths}), spoken in AWS JSON 1.1 on
 * {@link SignedHttp} for the reason rules.guardrails.OrganizationsApi is: the SDK's {@code organizations} module is
 * not served at the BOM's version. Called with the function's own credentials (the security account, a delegated
 * administrator); the Organizations endpoint of the home region's partition answers for the whole organization.
 */
public final class OrganizationParents implements OuPaths.Parents {
    static final String TARGET = "AWSOrganizationsV20161128.ListParents";
    private static final int MAX_BODY = 64 * 1024;

    private final SignedHttp signed;
    private final URI endpoint;
    private final String region;

    OrganizationParents(SdkHttpClient http, IdentityProvider<? extends AwsCredentialsIdentity> credentials, URI endpoint,
                        String region) {
        this.signed = new SignedHttp(http, credentials, "organizations");
        this.endpoint = endpoint;
        this.region = region;
    }

    /** The container's client, from the SDK's default chain, for the partition of {@code homeRegion}. */
    public static OrganizationParents standard(String homeRegion) {
        String region = homeRegion.startsWith("cn-") ? "cn-northwest-1"
                : homeRegion.startsWith("us-gov-") ? "us-gov-west-1" : "us-east-1";
        return new OrganizationParents(Clients.http(), DefaultCredentialsProvider.builder().build(),
                SignedHttp.endpoint("Organizations", "organizations", region, System::getProperty, System::getenv), region);
    }

    /** A child has one parent (API_ListParents), so the first page is the answer. */
    @Override
    public OuPaths.Parent of(String childId) {
        byte[] body = JsonText.write(JsonNodeFactory.instance.objectNode().put("ChildId", childId)).getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .encodedPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", TARGET).build();
        SignedHttp.Answer answer;
        try {
            answer = signed.send(request, body, region, MAX_BODY);
        } catch (IOException e) {
            throw new UncheckedIOException("AWS Organizations did not answer ListParents", e);
        }
        if (!answer.ok()) {
            throw new IllegalStateException("ListParents of " + childId + ": HTTP " + answer.status() + " " + answer.errorType());
        }
        JsonNode parent;
        try {
            parent = answer.json().path("Parents").path(0);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ListParents of " + childId + " answered with something that is not JSON");
        }
        String id = parent.path("Id").asText("");
        String type = parent.path("Type").asText("");
        if (id.isEmpty() || !(type.equals("ROOT") || type.equals("ORGANIZATIONAL_UNIT"))) {
            throw new IllegalStateException("ListParents of " + childId + " named no parent");
        }
        return new OuPaths.Parent(id, type.equals("ROOT"));
    }
}
