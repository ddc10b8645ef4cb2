package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.local.LocalAws;
import dev.ddbwarden.local.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep's accounts from AWS Organizations ListAccounts, against moto_server (which models organizations, their
 * accounts and closing one): only ACTIVE accounts. moto 5.2.1 gives every account in one page and answers ListAccounts
 * outside an Organization too, so neither NextToken nor Organizations' refusal is exercised here. The Organization is
 * set up with unsigned AWS JSON 1.1 calls, for want of the SDK's organizations module at the BOM's version (moto checks
 * no signature).
 */
class OrganizationAccountsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private MotoServer moto;

    @BeforeEach
    void start() throws Exception {
        moto = MotoServer.start();
        LocalAws.pointAt(moto.endpoint());
    }

    @AfterEach
    void stop() {
        moto.close();
    }

    @Test
    void active_shouldListTheActiveAccounts_andLeaveOutASuspendedOne() throws Exception {
        organizations("CreateOrganization", "{\"FeatureSet\":\"ALL\"}");
        String kept = organizations("CreateAccount", "{\"AccountName\":\"kept\",\"Email\":\"kept@example.com\"}")
                .at("/CreateAccountStatus/AccountId").asText();
        String closed = organizations("CreateAccount", "{\"AccountName\":\"closed\",\"Email\":\"closed@example.com\"}")
                .at("/CreateAccountStatus/AccountId").asText();
        for (int i = 0; i < 25; i++) {
            organizations("CreateAccount", "{\"AccountName\":\"a" + i + "\",\"Email\":\"a" + i + "@example.com\"}");
        }
        organizations("CloseAccount", "{\"AccountId\":\"" + closed + "\"}");

        // 28 accounts, one of them closed (moto answers in one page; NextToken is followed when AWS pages at 20)
        assertThat(OrganizationAccounts.standard().active()).hasSize(27).contains("123456789012", kept).doesNotContain(closed);
    }

    private JsonNode organizations(String action, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(moto.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSOrganizationsV20161128." + action)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261205/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
