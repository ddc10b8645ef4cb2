package dev.ddbwarden.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.config.SignedHttp;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One signed GET to AWS Backup's REST-JSON API and its answer as a JSON tree, or a {@link BackupApiException}.
 * Signed with SigV4 (signing name {@code backup}) by the SDK's own signer, with the credentials of the SDK's
 * default chain; sent on the SDK's HTTP client ddb-warden ships. Throttling, 5xx and lost connections are tried
 * again, three attempts in all, with a short backoff: a rule fails closed on what is left.
 */
final class BackupHttp {
    static final String SIGNING_NAME = "backup";
    static final int ATTEMPTS = 3;
    private static final Duration BACKOFF = Duration.ofMillis(200);
    private static final byte[] NO_BODY = new byte[0];
    private static final int MAX_BODY = 4 * 1024 * 1024;

    private final SignedHttp signed;
    private final URI endpoint;
    private final String region;
    private final Sleeper sleeper;

    BackupHttp(SdkHttpClient http, URI endpoint, String region, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
               Sleeper sleeper) {
        this.signed = new SignedHttp(http, credentials, SIGNING_NAME);
        this.endpoint = endpoint;
        this.region = region;
        this.sleeper = sleeper;
    }

    /**
     * Where AWS Backup answers in {@code region}, as the SDK's other clients find it: {@code aws.endpointUrlBackup} or
     * AWS_ENDPOINT_URL_BACKUP, then {@code aws.endpointUrl} or AWS_ENDPOINT_URL, else the regional endpoint with the
     * partition's DNS suffix.
     *
     * @param properties  a system property by name (System::getProperty)
     * @param environment an environment variable by name (System::getenv)
     */
    static URI endpoint(String region, UnaryOperator<String> properties, UnaryOperator<String> environment) {
        return SignedHttp.endpoint("Backup", SIGNING_NAME, region, properties, environment);
    }

    /**
     * The answer to GET {@code path}: each of {@code segments} is URL-encoded into it as one path segment (a recovery
     * point ARN holds ':' and '/'), in place of the {@code {}} markers of {@code path}.
     */
    JsonNode get(String path, Map<String, String> query, String... segments) {
        SdkHttpRequest request = request(path, query, segments);
        BackupApiException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                sleeper.pause(BACKOFF.multipliedBy(1L << (attempt - 2)), "to ask AWS Backup again");
            }
            try {
                return send(request);
            } catch (BackupApiException e) {
                if (e.kind() != BackupApiException.Kind.RETRYABLE) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private SdkHttpRequest request(String path, Map<String, String> query, String... segments) {
        StringBuilder encoded = new StringBuilder(endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/$", ""));
        String[] parts = path.split("\\{}", -1);
        if (parts.length - 1 != segments.length) {
            throw new IllegalArgumentException(path + " takes " + (parts.length - 1) + " segments, not " + segments.length);
        }
        for (int i = 0; i < parts.length; i++) {
            encoded.append(parts[i]);
            if (i < segments.length) {
                encoded.append(SdkHttpUtils.urlEncode(segments[i]));
            }
        }
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol(endpoint.getScheme())
                .host(endpoint.getHost())
                .port(endpoint.getPort())
                .encodedPath(encoded.toString())
                .putHeader("Accept", "application/json");
        query.forEach(builder::putRawQueryParameter);
        return builder.build();
    }

    private JsonNode send(SdkHttpRequest request) {
        SignedHttp.Answer answer;
        try {
            answer = signed.send(request, NO_BODY, region, MAX_BODY);
        } catch (IOException e) {
            throw new BackupApiException(BackupApiException.Kind.RETRYABLE, "no answer: " + e.getClass().getSimpleName(), e);
        } catch (RuntimeException e) {
            throw new BackupApiException(BackupApiException.Kind.OTHER, "not signed or not sent: " + e.getMessage(), e);
        }
        if (!answer.ok()) {
            throw failure(answer);
        }
        try {
            return answer.json();
        } catch (JsonProcessingException e) {
            throw new BackupApiException(BackupApiException.Kind.OTHER, "an answer that is not JSON", e);
        }
    }

    /** AWS Backup's error, by the type it names and the status. */
    static BackupApiException failure(SignedHttp.Answer answer) {
        int status = answer.status();
        String type = answer.errorType();
        String message = answer.message();
        String what = "HTTP " + status + (type.isEmpty() ? "" : " " + type) + (message.isEmpty() ? "" : ": " + message);
        String lower = type.toLowerCase(Locale.ROOT);
        BackupApiException.Kind kind;
        if (lower.contains("notfound")) {
            kind = BackupApiException.Kind.NOT_FOUND;
        } else if (lower.contains("accessdenied") || lower.contains("unauthorized") || status == 403) {
            kind = BackupApiException.Kind.ACCESS_DENIED;
        } else if (lower.contains("throttl") || lower.contains("toomanyrequests") || lower.contains("serviceunavailable")
                || status == 429 || status / 100 == 5) {
            kind = BackupApiException.Kind.RETRYABLE;
        } else if (status == 404) {
            kind = BackupApiException.Kind.NOT_FOUND;
        } else {
            kind = BackupApiException.Kind.OTHER;
        }
        return new BackupApiException(kind, what.length() > 300 ? what.substring(0, 300) : what);
    }
}
