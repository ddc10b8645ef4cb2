package dev.ddbwarden.local;

import java.util.List;

/** JVM flags for short-lived processes: a handler runs once, so C2 compilation and a parallel GC only cost time. */
final class JvmOptions {
    static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    private JvmOptions() {
    }
}
