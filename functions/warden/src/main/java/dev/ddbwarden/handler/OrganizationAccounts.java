package dev.ddbwarden.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.SignedHttp;
import dev.ddbwarden.event.JsonText;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Organization's accounts for the sweep: AWS Organizations ListAccounts, page by page, keeping the ACTIVE ones
 * (a suspended account, or one pending closure, has nothing to fix and refuses the member role). Spoken as AWS JSON
 * 1.1 on {@link SignedHttp}, as the guardrails rule's DescribePolicy is, for want of the SDK's {@code organizations}
 * module at the BOM's version. Organizations answers in us-east-1 for the aws partition; the caller is the security
 * account, the Organization's delegated administrator for it (or its management account).
 */
final class OrganizationAccounts {
    static final String TARGET = "AWSOrganizationsV20161128.ListAccounts";
    /** Where the aws partition's Organizations endpoint is, and the region requests are signed for. */
    static final String REGION = "us-east-1";
    private static final int MAX_BODY = 4 * 1024 * 1024;
    /** 1,000 pages of 20: far past any Organization's account quota, so a NextToken that never ends is refused. */
    private static final int MAX_PAGES = 1_000;

    private final SignedHttp signed;
    private final URI endpoint;

    OrganizationAccounts(SdkHttpClient http, URI endpoint, IdentityProvider<? extends AwsCredentialsIdentity> credentials) {
        this.signed = new SignedHttp(http, credentials, "organizations");
        this.endpoint = endpoint;
    }

    /** From the SDK's default chain and endpoint settings (AWS_ENDPOINT_URL points it at moto_server). */
    static OrganizationAccounts standard() {
        return new OrganizationAccounts(Clients.http(),
                SignedHttp.endpoint("Organizations", "organizations", REGION, System::getProperty, System::getenv),
                DefaultCredentialsProvider.builder().build());
    }

    /**
     * The IDs of the Organization's ACTIVE accounts.
     *
     * @throws IllegalStateException when Organizations refuses or cannot be read: the sweep cannot know its accounts,
     *                               so it fails and says why (its alarm fires) rather than sweep fewer
     */
    List<String> active() {
        List<String> accounts = new ArrayList<>();
        String next = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            ObjectNode request = JsonNodeFactory.instance.objectNode();
            if (next != null) {
                request.put("NextToken", next);
            }
            JsonNode answer = send(JsonText.write(request).getBytes(StandardCharsets.UTF_8));
            for (JsonNode account : answer.path("Accounts")) {
                // State replaces the deprecated Status; either says ACTIVE for an account in use.
                String state = account.path("State").asText(account.path("Status").asText(""));
                if ("ACTIVE".equals(state) && account.path("Id").isTextual()) {
                    accounts.add(account.path("Id").asText());
                }
            }
            next = answer.path("NextToken").isTextual() ? answer.path("NextToken").asText() : null;
            if (next == null) {
                return accounts;
            }
        }
        throw new IllegalStateException("AWS Organizations ListAccounts gave more than " + MAX_PAGES + " pages");
    }

    private JsonNode send(byte[] body) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .encodedPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", TARGET).build();
        SignedHttp.Answer answer;
        try {
            answer = signed.send(request, body, REGION, MAX_BODY);
        } catch (IOException e) {
            throw new IllegalStateException("AWS Organizations did not answer ListAccounts: " + e.getClass().getSimpleName(), e);
        }
        if (!answer.ok()) {
            throw new IllegalStateException(("AWS Organizations refused ListAccounts: HTTP " + answer.status() + " "
                    + answer.errorType() + " " + answer.message()).strip());
        }
        try {
            return answer.json();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("AWS Organizations answered ListAccounts with something that is not JSON", e);
        }
    }
}
