package dev.ddbwarden.local;

import java.util.List;

/**
 * JVM flags for short-lived processes: a handler runs once, so C2 compilation and a parallel GC only cost
 * time. The JVM's own warnings (class-data archives among them) go to standard error, so that standard
 * output holds only the result.
 */
final class JvmOptions {
    static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xlog:all=off:stdout", "-Xlog:all=warning:stderr");

    private JvmOptions() {
    }
}
