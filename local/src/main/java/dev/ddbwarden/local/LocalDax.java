package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * DAX clusters and their service roles in moto_server, for the dax rule's demo case and tests. There is no DAX module
 * of the SDK here, so a cluster is created with one JSON 1.1 request; moto reads the region from the credential scope
 * of the Authorization header and checks no signature.
 */
public final class LocalDax implements AutoCloseable {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"dax.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    /** What AWS's DAX guide gives a read-only service role. */
    public static final String READ_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "[\"dynamodb:DescribeTable\",\"dynamodb:GetItem\",\"dynamodb:BatchGetItem\",\"dynamodb:Query\",\"dynamodb:Scan\","
            + "\"dynamodb:ConditionCheckItem\"],\"Resource\":\"arn:aws:dynamodb:us-east-1:" + LocalAws.ACCOUNT + ":table/orders\"}]}";
    /** A write-through cache's role: the item writes besides the reads. */
    public static final String WRITES = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "[\"dynamodb:GetItem\",\"dynamodb:Query\",\"dynamodb:PutItem\",\"dynamodb:UpdateItem\"],"
            + "\"Resource\":\"arn:aws:dynamodb:us-east-1:" + LocalAws.ACCOUNT + ":table/orders\"}]}";

    private final IamClient iam = IamClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.AWS_GLOBAL).build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    /** A role DAX may assume, under /service-role/, with one inline policy; its ARN. */
    public String createRole(String name, String inlinePolicy) {
        String arn = iam.createRole(r -> r.roleName(name).path("/service-role/").assumeRolePolicyDocument(TRUST)).role().arn();
        iam.putRolePolicy(r -> r.roleName(name).policyName(name + "-tables").policyDocument(inlinePolicy));
        return arn;
    }

    public IamClient iam() {
        return iam;
    }

    /** A cluster in {@code region} with the given encryption at rest and endpoint encryption, using {@code roleArn}. */
    public void createCluster(String region, String name, boolean encrypted, boolean tls, String roleArn) {
        ObjectNode body = json.createObjectNode().put("ClusterName", name).put("NodeType", "dax.r5.large")
                .put("ReplicationFactor", 3).put("IamRoleArn", roleArn)
                .put("ClusterEndpointEncryptionType", tls ? "TLS" : "NONE");
        body.putObject("SSESpecification").put("Enabled", encrypted);
        HttpRequest request = HttpRequest.newBuilder(URI.create(System.getProperty("aws.endpointUrl")))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AmazonDAXV3.CreateCluster")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20240604/" + region
                        + "/dax/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto refused CreateCluster " + name + ": " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("CreateCluster " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("CreateCluster " + name, e);
        }
    }

    @Override
    public void close() {
        iam.close();
    }
}
