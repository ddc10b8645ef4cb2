package dev.ddbwarden.local;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

/**
 * A moto_server on a free loopback port, for the demo and the integration tests. It never listens
 * anywhere but 127.0.0.1, and {@link #close()} stops it.
 */
public final class MotoServer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final File log;

    private MotoServer(Process process, int port, File log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code moto_server} from the PATH, or the executable named by {@code MOTO_SERVER}. */
    public static MotoServer start() throws IOException, InterruptedException {
        int port = freePort();
        File log = Files.createTempFile("moto-server-", ".log").toFile();
        log.deleteOnExit();
        String executable = System.getenv().getOrDefault("MOTO_SERVER", "moto_server");
        Process process = new ProcessBuilder(executable, "-H", HOST, "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        MotoServer server = new MotoServer(process, port, log);
        server.awaitReady();
        return server;
    }

    public String endpoint() {
        return "http://" + HOST + ":" + port;
    }

    /** Forgets every resource, so that tests sharing one server start from nothing. */
    public void reset() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/moto-api/reset").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.getOutputStream().close();
        if (connection.getResponseCode() != 200) {
            throw new IOException("moto_server refused the reset: HTTP " + connection.getResponseCode());
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("moto_server exited with " + process.exitValue() + ": "
                        + Files.readString(log.toPath()));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(500);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IOException("moto_server did not answer on " + endpoint() + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
