package dev.ddbwarden.rules.tags;

import com.sun.net.httpserver.HttpServer;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.ResourceBusy;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TagResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.TagResourceResponse;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The creator tags' write over a mocked client: moto_server never throttles TagResource, so DynamoDB's five calls per
 * second per account (API Reference, TagResource) are shown here; the write itself is TagsIT's, against moto.
 */
class RecordCreatorFixTest {
    private static final String ALICE = "arn:aws:sts::123456789012:assumed-role/developer/alice";
    private static final TagsRemedy.RecordCreator REMEDY = new TagsRemedy.RecordCreator(Map.of(TagsRule.CREATED_BY, ALICE,
            TagsRule.CREATED_AT, "2024-05-14T10:08:15Z"), true);

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final RecordCreatorFix fix = new RecordCreatorFix(RegionalDynamo.single(dynamo));
    private final TableState reports = new TableState(TestEvents.table("reports"), "ACTIVE", Map.of());

    private void givenLiveTags(Tag... tags) {
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().tags(tags).build());
    }

    @Test
    void apply_shouldWriteOnlyTheTagsTheTableStillLacks() {
        givenLiveTags(Tag.builder().key(TagsRule.CREATED_BY).value("arn:aws:iam::123456789012:role/earlier").build());
        when(dynamo.tagResource(any(TagResourceRequest.class))).thenReturn(TagResourceResponse.builder().build());

        Outcome outcome = fix.apply(REMEDY, reports);

        ArgumentCaptor<TagResourceRequest> sent = ArgumentCaptor.forClass(TagResourceRequest.class);
        verify(dynamo).tagResource(sent.capture());
        assertThat(sent.getValue().resourceArn()).isEqualTo(reports.ref().arn());
        assertThat(sent.getValue().tags()).containsExactly(Tag.builder().key(TagsRule.CREATED_AT).value("2024-05-14T10:08:15Z").build());
        assertThat(outcome.action()).isEqualTo(Outcome.Action.TAGGED);
        assertThat(outcome.after().orElseThrow().tags()).containsEntry(TagsRule.CREATED_AT, "2024-05-14T10:08:15Z");
    }

    @Test
    void apply_shouldWriteNothing_whenEveryCreatorTagIsSetAlready() {
        givenLiveTags(Tag.builder().key(TagsRule.CREATED_BY).value(ALICE).build(),
                Tag.builder().key(TagsRule.CREATED_AT).value("2024-05-14T10:08:15Z").build());

        assertThat(fix.apply(REMEDY, reports).action()).isEqualTo(Outcome.Action.ALREADY_COMPLIANT);
        verify(dynamo, never()).tagResource(any(TagResourceRequest.class));
    }

    @Test
    void apply_shouldLeaveAThrottledWriteToTheFixLoopsBackoff() {
        givenLiveTags();
        DynamoDbException throttled = (DynamoDbException) DynamoDbException.builder().statusCode(400).awsErrorDetails(
                AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded").build()).build();
        when(dynamo.tagResource(any(TagResourceRequest.class))).thenThrow(throttled)
                .thenThrow(LimitExceededException.builder().message("too many").build());

        assertThatThrownBy(() -> fix.apply(REMEDY, reports)).isInstanceOf(ResourceBusy.class)
                .satisfies(e -> assertThat(((ResourceBusy) e).retryAfter()).isEqualTo(RecordCreatorFix.THROTTLED_WAIT))
                .hasMessageContaining("throttled");
        assertThatThrownBy(() -> fix.apply(REMEDY, reports)).isInstanceOf(ResourceBusy.class).hasMessageContaining("LimitExceeded");
    }

    @Test
    void apply_shouldPassOnOtherRefusals_andSayWhenTheTableIsGone() {
        givenLiveTags();
        when(dynamo.tagResource(any(TagResourceRequest.class))).thenThrow(DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build())
                .thenThrow(ResourceNotFoundException.builder().message("gone").build());

        assertThatThrownBy(() -> fix.apply(REMEDY, reports)).isInstanceOf(DynamoDbException.class).isNotInstanceOf(ResourceBusy.class);
        assertThat(fix.apply(REMEDY, reports).action()).isEqualTo(Outcome.Action.TABLE_GONE);
    }

    /**
     * The first layer of the backoff: the client every function builds (config.Clients) retries a throttled TagResource
     * itself. A local HTTP stub answers DynamoDB's JSON protocol as DynamoDB documents a throttle (400,
     * ThrottlingException) twice, then accepts.
     */
    @Test
    void theSdkClient_shouldRetryAThrottledTagResource_beforeTheFixSeesIt() throws Exception {
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger tagCalls = new AtomicInteger();
        List<String> targets = new CopyOnWriteArrayList<>();
        stub.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            targets.add(target);
            exchange.getRequestBody().readAllBytes();
            boolean throttled = target.endsWith(".TagResource") && tagCalls.incrementAndGet() <= 2;
            byte[] body = (throttled ? "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\",\"message\":\"Rate exceeded\"}"
                    : target.endsWith(".ListTagsOfResource") ? "{\"Tags\":[]}" : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(throttled ? 400 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stub.start();
        try (DynamoDbClient real = Clients.standard(DynamoDbClient.builder()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .endpointOverride(URI.create("http://127.0.0.1:" + stub.getAddress().getPort())).build()) {
            Outcome outcome = new RecordCreatorFix(RegionalDynamo.single(real)).apply(REMEDY, reports);

            assertThat(outcome.action()).isEqualTo(Outcome.Action.TAGGED);
            assertThat(tagCalls).hasValue(3);
            assertThat(targets).containsExactly("DynamoDB_20120810.ListTagsOfResource", "DynamoDB_20120810.TagResource",
                    "DynamoDB_20120810.TagResource", "DynamoDB_20120810.TagResource");
        } finally {
            stub.stop(0);
        }
    }
}
