package dev.ddbwarden.local;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One moto_server for the whole test run, started on first use on a free loopback port and stopped
 * when the JVM exits; each test resets it so that none sees another's tables.
 */
final class SharedMoto {
    private static MotoServer server;

    private SharedMoto() {
    }

    /** The server, emptied, with every SDK client built afterwards in this JVM pointed at it. */
    static synchronized MotoServer fresh() {
        IntegrationOnly.require("moto_server");
        try {
            if (server == null) {
                server = MotoServer.start();
                MotoServer started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close));
                LocalAws.pointAt(server.endpoint());
            }
            server.reset();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
