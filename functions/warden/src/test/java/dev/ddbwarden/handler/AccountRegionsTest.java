package dev.ddbwarden.handler;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which of the sweep's regions an account walks: its own enabled ones, else (configured, or unanswered) the sweep's. */
class AccountRegionsTest {
    private static final List<String> SWEEP = List.of("us-east-1", "eu-west-1", "af-south-1");
    private final List<String> asked = new ArrayList<>();

    private AccountRegions answering(Set<String> enabled) {
        return new AccountRegions(account -> {
            asked.add(account);
            return enabled;
        });
    }

    @Test
    void anAccount_shouldWalkTheSweepsRegionsEnabledInIt_inTheSweepsOrder() {
        List<String> walked = answering(Set.of("af-south-1", "us-east-1", "ap-east-1")).of("222222222222", SWEEP, false);

        assertThat(walked).containsExactly("us-east-1", "af-south-1");
        assertThat(asked).containsExactly("222222222222");
    }

    @Test
    void configuredRegions_shouldBeWalkedAsNamed_withoutAsking() {
        assertThat(answering(Set.of("us-east-1")).of("222222222222", SWEEP, true)).isEqualTo(SWEEP);
        assertThat(asked).isEmpty();
    }

    @Test
    void anAccountThatCannotBeAsked_shouldWalkTheSweepsRegions() {
        AccountRegions failing = new AccountRegions(account -> {
            throw new IllegalStateException("EC2 refused DescribeRegions: HTTP 403 UnauthorizedOperation");
        });

        assertThat(failing.of("333333333333", SWEEP, false)).isEqualTo(SWEEP);
    }

    @Test
    void anAnswerNamingNoneOfTheSweepsRegions_shouldBeDistrusted_andAllWalked() {
        assertThat(answering(Set.of()).of("222222222222", SWEEP, false)).isEqualTo(SWEEP);
        assertThat(answering(Set.of("ap-east-1")).of("222222222222", SWEEP, false)).isEqualTo(SWEEP);
    }

    /** EC2's Query API answer, as AWS documents DescribeRegions' response (and moto_server serves it). */
    @Test
    void ec2sAnswer_shouldGiveEachRegionName_andRefuseADoctype() {
        String answer = "<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><regionInfo>"
                + "<item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint>"
                + "<optInStatus>opt-in-not-required</optInStatus></item>"
                + "<item><regionName>af-south-1</regionName><regionEndpoint>ec2.af-south-1.amazonaws.com</regionEndpoint>"
                + "<optInStatus>opted-in</optInStatus></item></regionInfo></DescribeRegionsResponse>";

        assertThat(Ec2Regions.regionNames(Ec2Regions.parse(answer.getBytes(StandardCharsets.UTF_8))))
                .containsExactly("us-east-1", "af-south-1");
        assertThatThrownBy(() -> Ec2Regions.parse(("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<DescribeRegionsResponse><regionInfo><item><regionName>&e;</regionName></item></regionInfo>"
                + "</DescribeRegionsResponse>").getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalStateException.class);
    }
}
