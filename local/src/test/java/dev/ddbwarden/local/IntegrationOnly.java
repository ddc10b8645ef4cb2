package dev.ddbwarden.local;

/**
 * What only integration tests ({@code *IT}, run by failsafe in verify) may start: moto_server and ./warden as a
 * process. Unit tests ({@code *Test}, run by surefire, which sets {@code ddbwarden.tests=unit}) run in seconds, so
 * one that reaches either fails here with the reason rather than slowing every {@code ./mvnw test}.
 */
final class IntegrationOnly {
    static final String PROPERTY = "ddbwarden.tests";

    private IntegrationOnly() {
    }

    /** Fails a unit test that is about to start {@code what}. */
    static void require(String what) {
        if ("unit".equals(System.getProperty(PROPERTY))) {
            throw new IllegalStateException("a unit test started " + what + ": that makes it an integration test,"
                    + " so name its class *IT (failsafe runs it in ./mvnw verify)");
        }
    }
}
