package dev.ddbwarden.log;

import org.slf4j.Logger;
import org.slf4j.event.Level;
import software.amazon.lambda.powertools.logging.internal.LoggingManager;

/**
 * How Powertools sets and reads the log level with this backend (its LoggingManager service, which its
 * Log4j and Logback modules implement for theirs). Found by ServiceLoader
 * (META-INF/services/software.amazon.lambda.powertools.logging.internal.LoggingManager). Powertools names the
 * interface internal: an upgrade of Powertools must run LoggingBackendTest, which fails if it stops being used.
 */
public final class PowertoolsLevels implements LoggingManager {
    @Override
    public void setLogLevel(Level level) {
        LogThreshold.setAll(level);
    }

    @Override
    public Level getLogLevel(Logger logger) {
        return LogThreshold.of(logger.getName());
    }
}
