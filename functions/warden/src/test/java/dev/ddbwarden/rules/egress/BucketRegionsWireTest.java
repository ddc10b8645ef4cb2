package dev.ddbwarden.rules.egress;

import com.sun.net.httpserver.HttpServer;
import dev.ddbwarden.event.ApiCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.ddbwarden.TestEvents.call;
import static dev.ddbwarden.TestEvents.exportTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The egress role is granted no S3 action (documented-actions.md: "no permission, by design"), so on AWS its HeadBucket
 * of another account's bucket is refused: 403, with {@code x-amz-bucket-region} all the same (API Reference,
 * "HeadBucket": the header is returned "regardless of the permissions on the bucket"). moto_server answers every
 * HeadBucket (it checks no permission), so a local HTTP stub speaking S3's wire protocol gives the refusal: the real S3
 * client parses it, and the region is read from the refusal's header.
 */
class BucketRegionsWireTest {
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private HttpServer s3;
    private S3Client client;

    @BeforeEach
    void startS3ThatRefuses() throws Exception {
        s3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s3.createContext("/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " signed="
                    + exchange.getRequestHeaders().containsKey("Authorization"));
            exchange.getResponseHeaders().add("x-amz-bucket-region", "ap-southeast-2");
            exchange.getResponseHeaders().add("x-amz-request-id", "4442587FB7D0A2F9");
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
        });
        s3.start();
        client = S3Client.builder().region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create("http://127.0.0.1:" + s3.getAddress().getPort())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        s3.stop(0);
    }

    @Test
    void aHeadBucketRefused403_shouldStillTellTheBucketsRegion_throughTheRealClient() {
        ApiCall export = call(exportTo("orders", "their-bucket", "999988887777"));

        assertThat(new BucketRegions(region -> client).read(export, dev.ddbwarden.config.Settings.from(name -> null))).contains(ExportBucket.in("their-bucket", "ap-southeast-2"));
        assertThat(asked).containsExactly("HEAD /their-bucket signed=true");
    }
}
