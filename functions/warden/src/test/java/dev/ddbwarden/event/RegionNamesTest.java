package dev.ddbwarden.event;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RegionNamesTest {

    /** Regions this SDK knows, in every partition. */
    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1", "cn-north-1", "us-gov-west-1",
            "eusc-de-east-1", "us-isob-east-1"})
    void isReal_shouldAccept_whenTheSdkKnowsTheRegion(String region) {
        assertThat(RegionNames.isReal(region)).isTrue();
    }

    /** Regions AWS may launch after this SDK: named as their partition names its regions. */
    @ParameterizedTest
    @ValueSource(strings = {"eu-north-9", "ap-southeast-10", "mx-south-1", "cn-south-3", "us-gov-central-1"})
    void isReal_shouldAccept_whenAKnownPartitionWouldNameTheRegion(String region) {
        assertThat(RegionNames.isReal(region)).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unreal")
    void isReal_shouldRefuse_whenNoPartitionNamesRegionsSo(String region) {
        assertThat(RegionNames.isReal(region)).isFalse();
    }

    static List<String> unreal() {
        return List.of("xx-fake-9", "us-east-1 ", " us-east-1", "US-EAST-1", "us-EAST-1", "us_east_1", "us-east-1\u0000",
                "us-east-1\n", "", "Europe", "aws-global", "us-east", "eu-north-" + "9".repeat(40),
                "us-" + "a".repeat(1_995) + "-1");
    }
}
