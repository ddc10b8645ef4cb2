package dev.ddbwarden.rules.egress;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Optional;

import static dev.ddbwarden.TestEvents.call;
import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.exportTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * S3's answers moto does not give (a refusal or a redirect that still carries x-amz-bucket-region, a refusal that
 * does not): a mocked S3 client. BucketRegionsIT asks moto_server for a bucket it holds.
 */
class BucketRegionsTest {
    private static final Settings DEFAULTS = Settings.from(name -> null);
    private final S3Client s3 = mock(S3Client.class);
    private final BucketRegions regions = new BucketRegions(region -> s3);
    private final ApiCall export = call(exportTo("orders", "their-bucket", "999988887777"));

    private static S3Exception refusal(int status, String region) {
        SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status);
        if (region != null) {
            response.putHeader("x-amz-bucket-region", region);
        }
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().sdkHttpResponse(response.build()).build()).build();
    }

    @Test
    void read_shouldTakeTheRegionFromARefusal_thatCarriesIt() {
        when(s3.headBucket(any(HeadBucketRequest.class))).thenThrow(refusal(403, "sa-east-1"));

        assertThat(regions.read(export, DEFAULTS)).contains(ExportBucket.in("their-bucket", "sa-east-1"));
    }

    @Test
    void read_shouldSayRegionUnknown_whenTheRefusalDoesNotCarryIt() {
        when(s3.headBucket(any(HeadBucketRequest.class))).thenThrow(refusal(403, null));

        Optional<ExportBucket> read = regions.read(export, DEFAULTS);

        assertThat(read).hasValueSatisfying(b -> {
            assertThat(b.region()).isEmpty();
            assertThat(b.unknown()).contains("403");
        });
    }

    @Test
    void read_shouldTakeTheRegionOfTheAnswer() {
        when(s3.headBucket(any(HeadBucketRequest.class))).thenReturn(HeadBucketResponse.builder().bucketRegion("eu-west-1").build());

        assertThat(regions.read(export, DEFAULTS)).contains(ExportBucket.in("their-bucket", "eu-west-1"));
    }

    @Test
    void read_shouldAskNothing_ofACallThatIsNotAnExport_orNamesNoBucket() {
        assertThat(regions.read(call(event("EnableKinesisStreamingDestination", "orders")), DEFAULTS)).isEmpty();
        assertThat(regions.read(call(exportTo("orders", "Not_A_Bucket", null)), DEFAULTS)).hasValueSatisfying(b ->
                assertThat(b.region()).isEmpty());
        verify(s3, never()).headBucket(any(HeadBucketRequest.class));
    }
}
