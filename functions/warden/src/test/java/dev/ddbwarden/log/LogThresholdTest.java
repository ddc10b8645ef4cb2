package dev.ddbwarden.log;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.event.Level;

import static org.assertj.core.api.Assertions.assertThat;

class LogThresholdTest {
    @ParameterizedTest
    @CsvSource({"debug,10", "INFO,20", " Warn ,30", "ERROR,40", "FATAL,40", "TRACE,0", "ALL,0", "OFF,2147483647", "loud,20", ",20"})
    void readsLevelsAsPowertoolsAndLog4jDo(String name, int expected) {
        assertThat(LogThreshold.parse(name, Level.INFO.toInt())).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"dev.ddbwarden,true", "dev.ddbwarden.handler.Pipeline,true", "dev.ddbwardenx.Other,false", "software.amazon.awssdk,false"})
    void tellsOwnLoggersFromLibraries(String name, boolean own) {
        assertThat(LogThreshold.isOwn(name)).isEqualTo(own);
    }
}
