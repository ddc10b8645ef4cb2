package dev.ddbwarden.rules.egress;

import java.util.Optional;

/**
 * Where the bucket an export writes to lives, as S3 tells it.
 *
 * @param region  empty when S3 did not say ("region unknown")
 * @param unknown why the region is unknown, empty when it is known
 */
record ExportBucket(String bucket, Optional<String> region, String unknown) {

    static ExportBucket in(String bucket, String region) {
        return new ExportBucket(bucket, Optional.of(region), "");
    }

    static ExportBucket unknown(String bucket, String why) {
        return new ExportBucket(bucket, Optional.empty(), why);
    }
}
