package dev.ddbwarden.log;

import org.slf4j.event.Level;

import java.util.Locale;

/**
 * Which levels are written. ddb-warden's own loggers start at {@code POWERTOOLS_LOG_LEVEL} (INFO when unset;
 * the {@code ddbwarden.logLevel} system property, which the local runner uses to quiet a command, comes
 * first), every library's at WARN, so the SDK's chatter stays out of the log; when Powertools sets a level
 * (from {@code POWERTOOLS_LOG_LEVEL}, Lambda's log level, or sampling) it sets it for all, as Powertools does
 * with any logging backend.
 */
final class LogThreshold {
    private static final String OWN_PREFIX = "dev.ddbwarden";
    /** Above ERROR: nothing is written. */
    private static final int OFF = Integer.MAX_VALUE;

    private static volatile int own = parse(firstSet(System.getProperty("ddbwarden.logLevel"),
            System.getenv("POWERTOOLS_LOG_LEVEL")), Level.INFO.toInt());
    private static volatile int others = Level.WARN.toInt();

    private LogThreshold() {
    }

    static boolean isOwn(String loggerName) {
        return loggerName.equals(OWN_PREFIX) || loggerName.startsWith(OWN_PREFIX + ".");
    }

    static boolean enabled(boolean ownLogger, Level level) {
        return level.toInt() >= (ownLogger ? own : others);
    }

    static void setAll(Level level) {
        own = level.toInt();
        others = level.toInt();
    }

    /** Both thresholds, so that a test which changes them can put them back for the tests after it. */
    static int[] snapshot() {
        return new int[] {own, others};
    }

    static void restore(int[] snapshot) {
        own = snapshot[0];
        others = snapshot[1];
    }

    /** The lowest level a logger writes; ERROR when it writes nothing, since SLF4J has no level above. */
    static Level of(String loggerName) {
        int threshold = isOwn(loggerName) ? own : others;
        for (Level level : new Level[] {Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN}) {
            if (level.toInt() >= threshold) {
                return level;
            }
        }
        return Level.ERROR;
    }

    /** A level's name as Log4j and Powertools accept it (any case; FATAL is ERROR, OFF writes nothing); else {@code fallback}. */
    static int parse(String name, int fallback) {
        if (name == null) {
            return fallback;
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "TRACE", "ALL" -> Level.TRACE.toInt();
            case "DEBUG" -> Level.DEBUG.toInt();
            case "INFO" -> Level.INFO.toInt();
            case "WARN" -> Level.WARN.toInt();
            case "ERROR", "FATAL" -> Level.ERROR.toInt();
            case "OFF" -> OFF;
            default -> fallback;
        };
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
