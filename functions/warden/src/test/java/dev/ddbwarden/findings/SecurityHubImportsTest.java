package dev.ddbwarden.findings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.TestEvents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The quotas of BatchImportFindings (partner guide, "Guidelines for using the BatchImportFindings API"), against a fake API. */
class SecurityHubImportsTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private final TestClock clock = new TestClock(NOW);
    private final List<Duration> pauses = new ArrayList<>();
    private final List<String> counted = new ArrayList<>();
    private final List<Integer> batchSizes = new ArrayList<>();

    private static List<ObjectNode> findings(int n) {
        return IntStream.range(0, n).mapToObj(i -> Asff.compliant("ttl", "DynamoDB table", TestEvents.table("t" + i).arn(), "aws", "us-east-1",
                TestEvents.ACCOUNT, NOW)).toList();
    }

    private SecurityHubImports imports(FindingsApi api) {
        return new SecurityHubImports(api, clock, duration -> {
            pauses.add(duration);
            clock.advance(duration);
        }, counted::add);
    }

    private FindingsApi accepting() {
        return (account, region, batch) -> {
            batchSizes.add(batch.size());
            return new FindingsApi.Imported(batch.size(), 0, List.of());
        };
    }

    @Test
    void importAll_shouldSendBatchesOfAtMost100_atMost10ASecond() {
        SecurityHubImports.Report report = imports(accepting()).importAll(TestEvents.ACCOUNT, "us-east-1", findings(250));

        assertThat(batchSizes).containsExactly(100, 100, 50);
        assertThat(report.imported()).isEqualTo(250);
        assertThat(report.complete()).isTrue();
        // Three requests at once would be 30 a second: the second and third wait a tenth of a second each.
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
    }

    @Test
    void batches_shouldStayUnder6MB_whenFindingsAreLarge() {
        ObjectNode big = Asff.compliant("ttl", "DynamoDB table", TestEvents.table("big").arn(), "aws", "us-east-1", TestEvents.ACCOUNT, NOW);
        ((ObjectNode) big.path("ProductFields")).put("ddb-warden/Pad", "p".repeat(200_000));
        List<ObjectNode> findings = IntStream.range(0, 60).mapToObj(i -> big).toList();

        List<List<ObjectNode>> batches = SecurityHubImports.batches(findings);

        assertThat(batches).hasSizeGreaterThan(1);
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(60);
        for (List<ObjectNode> batch : batches) {
            assertThat(batch.stream().mapToLong(Asff::bytes).sum()).isLessThanOrEqualTo(6L * 1024 * 1024);
        }
    }

    @Test
    void importAll_shouldBackOffAndRetry_whenThrottled() {
        int[] calls = {0};
        FindingsApi api = (account, region, batch) -> {
            if (++calls[0] < 3) {
                throw new FindingsApi.Refused(429, "TooManyRequestsException", "Rate exceeded");
            }
            return new FindingsApi.Imported(batch.size(), 0, List.of());
        };

        SecurityHubImports.Report report = imports(api).importAll(TestEvents.ACCOUNT, "us-east-1", findings(3));

        assertThat(calls[0]).isEqualTo(3);
        assertThat(report.imported()).isEqualTo(3);
        assertThat(report.complete()).isTrue();
        assertThat(pauses.stream().filter(p -> p.compareTo(Duration.ofMillis(100)) > 0)).hasSize(2);
    }

    @Test
    void importAll_shouldStopAndCount_whenSecurityHubIsNotEnabled() {
        FindingsApi api = (account, region, batch) -> {
            throw new FindingsApi.Refused(401, "InvalidAccessException", "Account 123456789012 is not subscribed to AWS Security Hub");
        };

        SecurityHubImports.Report report = imports(api).importAll(TestEvents.ACCOUNT, "us-east-1", findings(150));

        assertThat(report.notEnabled()).isTrue();
        assertThat(report.complete()).isFalse();
        assertThat(report.requests()).isEqualTo(1);
        assertThat(counted).containsExactly(SecurityHubImports.NOT_ENABLED_METRIC);
    }

    @Test
    void importAll_shouldCountTheFindingsSecurityHubDidNotTake() {
        FindingsApi api = (account, region, batch) -> new FindingsApi.Imported(batch.size() - 1, 1,
                List.of(new FindingsApi.Imported.Failure("ddb-warden/ttl/x", "InvalidInput", "Finding does not adhere to ASFF")));

        SecurityHubImports.Report report = imports(api).importAll(TestEvents.ACCOUNT, "us-east-1", findings(2));

        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.complete()).isFalse();
        assertThat(counted).containsExactly(SecurityHubImports.FAILED_METRIC);
    }

    @Test
    void importAll_shouldGiveUp_afterFourThrottledAttempts() {
        FindingsApi api = (account, region, batch) -> {
            throw new FindingsApi.Refused(429, "TooManyRequestsException", "Rate exceeded");
        };

        SecurityHubImports.Report report = imports(api).importAll(TestEvents.ACCOUNT, "us-east-1", findings(1));

        assertThat(report.requests()).isEqualTo(SecurityHubImports.ATTEMPTS);
        assertThat(report.problem()).contains("TooManyRequestsException");
        assertThat(counted).containsExactly(SecurityHubImports.FAILED_METRIC);
    }

    @Test
    void importAll_shouldSendTheBatchAgain_whenNoAnswerCameOrSecurityHubFailed() {
        int[] calls = {0};
        FindingsApi api = (account, region, batch) -> {
            calls[0]++;
            if (calls[0] == 1) {
                throw new java.net.SocketTimeoutException("Read timed out");
            }
            if (calls[0] == 2) {
                throw new FindingsApi.Refused(503, "ServiceUnavailableException", "");
            }
            return new FindingsApi.Imported(batch.size(), 0, List.of());
        };

        SecurityHubImports.Report report = imports(api).importAll(TestEvents.ACCOUNT, "us-east-1", findings(2));

        assertThat(calls[0]).isEqualTo(3);
        assertThat(report.complete()).isTrue();
        assertThat(report.imported()).isEqualTo(2);
        assertThat(counted).isEmpty();
    }

    @Test
    void importAll_shouldGiveUp_afterFourAttemptsWithNoAnswer_andNotRetryARefusal() {
        FindingsApi silent = (account, region, batch) -> {
            throw new java.net.SocketTimeoutException("Read timed out");
        };
        FindingsApi refusing = (account, region, batch) -> {
            throw new FindingsApi.Refused(400, "InvalidInputException", "bad");
        };

        SecurityHubImports.Report timedOut = imports(silent).importAll(TestEvents.ACCOUNT, "us-east-1", findings(1));
        SecurityHubImports.Report refused = imports(refusing).importAll(TestEvents.ACCOUNT, "us-east-1", findings(1));

        assertThat(timedOut.requests()).isEqualTo(SecurityHubImports.ATTEMPTS);
        assertThat(timedOut.problem()).contains("Read timed out");
        assertThat(refused.requests()).isEqualTo(1);
    }
}
