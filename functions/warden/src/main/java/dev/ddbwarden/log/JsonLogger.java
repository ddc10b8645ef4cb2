package dev.ddbwarden.log;

import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** An SLF4J logger that writes each event it lets through as one line of JSON ({@link JsonLogLine}) on standard error. */
final class JsonLogger extends LegacyAbstractLogger {
    private final boolean own;

    JsonLogger(String name) {
        this.name = name;
        this.own = LogThreshold.isOwn(name);
    }

    @Override
    public boolean isTraceEnabled() {
        return LogThreshold.enabled(own, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return LogThreshold.enabled(own, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return LogThreshold.enabled(own, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return LogThreshold.enabled(own, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return LogThreshold.enabled(own, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        FormattingTuple formatted = MessageFormatter.arrayFormat(pattern, arguments);
        Throwable error = throwable != null ? throwable : formatted.getThrowable();
        String line = JsonLogLine.render(level, formatted.getMessage(), error, MDC.getCopyOfContextMap(), Instant.now()) + "\n";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        // Looked up on every write, so that a test (or a runner) that replaces standard error is obeyed.
        PrintStream err = System.err;
        err.write(bytes, 0, bytes.length);
        err.flush();
    }
}
