package dev.ddbwarden.rules.egress;

import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.state.CallAugment;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Asks S3 where an export's bucket lives: ExportTableToPointInTime names the bucket, never its region. HeadBucket
 * answers with the region in {@code x-amz-bucket-region}, and S3 sends that header also when it refuses the
 * caller (403, a bucket of another account) or redirects it (301, a bucket in another region than the client's),
 * so a refusal still tells the region; only when no answer carries it is the region unknown.
 *
 * <p>One S3 client per region, built on first use from the SDK's default chain (AWS_ENDPOINT_URL_S3 or
 * AWS_ENDPOINT_URL point it elsewhere, as every client of ddb-warden), and kept for the container.
 */
final class BucketRegions implements CallAugment<ExportBucket> {
    static final String EXPORT = "ExportTableToPointInTime";
    private static final String REGION_HEADER = "x-amz-bucket-region";
    /** S3's rules for a bucket name: anything else names no bucket and is not sent. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final Function<String, S3Client> clients;

    BucketRegions() {
        this(new PerRegion()::client);
    }

    /** @param clients the S3 client for a region (tests hand in a mock) */
    BucketRegions(Function<String, S3Client> clients) {
        this.clients = clients;
    }

    /** The container's S3 clients, one per region, built when first asked for. */
    private static final class PerRegion {
        private final Map<String, S3Client> clients = new ConcurrentHashMap<>();

        S3Client client(String region) {
            return clients.computeIfAbsent(region, r -> Clients.standard(S3Client.builder()).region(Region.of(r)).build());
        }
    }

    @Override
    public Class<ExportBucket> type() {
        return ExportBucket.class;
    }

    @Override
    public Optional<ExportBucket> read(ApiCall call, Settings settings) {
        if (!EXPORT.equals(call.eventName())) {
            return Optional.empty();
        }
        String bucket = call.request("s3Bucket");
        if (!BUCKET.matcher(bucket).matches()) {
            return Optional.of(ExportBucket.unknown(Excerpt.line(bucket), "the request names no valid bucket"));
        }
        try {
            String region = clients.apply(call.region())
                    .headBucket(HeadBucketRequest.builder().bucket(bucket).build()).bucketRegion();
            return Optional.of(region == null || region.isEmpty()
                    ? ExportBucket.unknown(bucket, "S3 answered without the bucket's region") : ExportBucket.in(bucket, region));
        } catch (S3Exception e) {
            Optional<String> region = e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null
                    ? Optional.empty() : e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader(REGION_HEADER);
            return Optional.of(region.filter(r -> !r.isEmpty()).map(r -> ExportBucket.in(bucket, r))
                    .orElseGet(() -> ExportBucket.unknown(bucket, "S3 refused to say (HTTP " + e.statusCode() + ")")));
        }
    }
}
