package dev.ddbwarden.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.TableRef;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One SigV4-signed request to an AWS API whose SDK module the registry this project builds from does not serve at
 * the BOM's version (AWS Backup, DAX, AWS Organizations), sent as the SDK's own clients send theirs: signed by the
 * SDK's signer with the credentials of the SDK's default chain, on the HTTP client they share, to the endpoint the
 * SDK's settings name. Each client that uses it keeps its own paths, pagination and error classes; what they share,
 * signing, sending, reading a bounded answer and naming AWS's error type, is here once.
 */
public final class SignedHttp {
    private final SdkHttpClient http;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final String signingName;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public SignedHttp(SdkHttpClient http, IdentityProvider<? extends AwsCredentialsIdentity> credentials, String signingName) {
        this.http = http;
        this.credentials = credentials;
        this.signingName = signingName;
    }

    /**
     * What came back: the HTTP status, the error type AWS named (the {@code x-amzn-ErrorType} header, else the body's
     * {@code __type}, {@code code} or {@code Code}, without its namespace; empty on success) and the body.
     */
    public record Answer(int status, String errorType, byte[] body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        /** The body as JSON ({} when empty). */
        public JsonNode json() throws JsonProcessingException {
            return body.length == 0 ? JsonText.read("{}") : JsonText.read(body);
        }

        /** AWS's message for an error, or empty. */
        public String message() {
            try {
                JsonNode error = json();
                return error.path("message").asText(error.path("Message").asText(""));
            } catch (JsonProcessingException e) {
                return "";
            }
        }
    }

    /**
     * Where a service answers in {@code region}, as the SDK's clients find it: {@code aws.endpointUrl<Id>} or
     * AWS_ENDPOINT_URL_<ID>, then {@code aws.endpointUrl} or AWS_ENDPOINT_URL, else {@code host.REGION.} and the
     * partition's DNS suffix.
     *
     * @param serviceId   the SDK's service ID as its settings spell it ({@code Backup}, {@code Dax}, {@code Organizations})
     * @param properties  a system property by name (System::getProperty)
     * @param environment an environment variable by name (System::getenv)
     */
    public static URI endpoint(String serviceId, String host, String region, UnaryOperator<String> properties,
                               UnaryOperator<String> environment) {
        for (String[] names : new String[][]{{"aws.endpointUrl" + serviceId, "AWS_ENDPOINT_URL_" + serviceId.toUpperCase(Locale.ROOT)},
                {"aws.endpointUrl", "AWS_ENDPOINT_URL"}}) {
            String configured = Optional.ofNullable(properties.apply(names[0])).filter(v -> !v.isBlank())
                    .orElse(environment.apply(names[1]));
            if (configured != null && !configured.isBlank()) {
                return URI.create(configured.strip());
            }
        }
        RegionMetadata metadata = Region.of(region).metadata();
        String suffix = metadata != null ? metadata.partition().dnsSuffix()
                : PartitionMetadata.of(TableRef.partitionOf(region)).dnsSuffix();
        return URI.create("https://" + host + "." + region + "." + suffix);
    }

    /**
     * Signs {@code request} with {@code body} for {@code region}, sends it and reads the answer, at most
     * {@code maxBody} bytes (a longer one is an IOException, as a lost connection is: the caller's to retry or refuse).
     */
    public Answer send(SdkHttpRequest request, byte[] body, String region, int maxBody) throws IOException {
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SdkHttpRequest signed = signer.sign(r -> r.identity(identity).request(request)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        HttpExecuteRequest.Builder execute = HttpExecuteRequest.builder().request(signed);
        if (body.length > 0) {
            execute.contentStreamProvider(ContentStreamProvider.fromByteArrayUnsafe(body));
        }
        HttpExecuteResponse response = http.prepareRequest(execute.build()).call();
        int status = response.httpResponse().statusCode();
        byte[] answer = response.responseBody().isPresent() ? read(response.responseBody().get(), maxBody) : new byte[0];
        return answer(status, response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse(""), answer);
    }

    /** An answer as AWS sent it: its status, its {@code x-amzn-ErrorType} header (or empty) and its body. */
    public static Answer answer(int status, String typeHeader, byte[] body) {
        return new Answer(status, status / 100 == 2 ? "" : errorType(typeHeader, body), body);
    }

    private static String errorType(String header, byte[] body) {
        String type = header;
        if (type.isEmpty()) {
            try {
                JsonNode error = body.length == 0 ? JsonText.read("{}") : JsonText.read(body);
                type = error.path("__type").asText(error.path("code").asText(error.path("Code").asText("")));
            } catch (JsonProcessingException e) {
                type = "";
            }
        }
        return type.replaceAll(":.*$", "").replaceAll("^.*#", "");
    }

    private static byte[] read(InputStream in, int maxBody) throws IOException {
        try (in) {
            byte[] body = in.readNBytes(maxBody + 1);
            if (body.length > maxBody) {
                throw new IOException("an answer over " + maxBody + " bytes");
            }
            return body;
        }
    }
}
