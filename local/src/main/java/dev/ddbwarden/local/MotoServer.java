package dev.ddbwarden.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A moto_server on a free loopback port, for the demo and the integration tests. It never listens
 * anywhere but 127.0.0.1, and {@link #close()} stops it.
 */
public final class MotoServer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String EXITED = "moto_server exited with ";
    /** moto_atomic.py's exit status when its Python cannot import moto; also used when python3 is missing. */
    private static final int NO_MOTO = 3;

    private final Process process;
    private final int port;
    private final File log;

    private MotoServer(Process process, int port, File log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts moto_server with DynamoDB's writes made atomic (moto_atomic.py, run by {@code python3}), as
     * DynamoDB's conditional writes are and ddb-warden's ledger needs; when that Python cannot import moto,
     * {@code moto_server} from the PATH as it is. {@code MOTO_SERVER} names an executable to run instead.
     */
    public static MotoServer start() throws IOException, InterruptedException {
        String chosen = System.getenv("MOTO_SERVER");
        if (chosen != null && !chosen.isBlank()) {
            return start(List.of(chosen));
        }
        File launcher = Files.createTempFile("moto-atomic-", ".py").toFile();
        launcher.deleteOnExit();
        try (InputStream script = MotoServer.class.getResourceAsStream("moto_atomic.py")) {
            Files.write(launcher.toPath(), script.readAllBytes());
        }
        try {
            return start(List.of("python3", launcher.getPath()));
        } catch (IOException e) {
            if (!e.getMessage().startsWith(EXITED + NO_MOTO + ":")) {
                throw e;
            }
            System.err.println("moto-server: python3 cannot import moto; starting moto_server as it is (its"
                    + " conditional writes are not atomic under concurrency)");
            return start(List.of("moto_server"));
        }
    }

    private static MotoServer start(List<String> command) throws IOException, InterruptedException {
        int port = freePort();
        File log = Files.createTempFile("moto-server-", ".log").toFile();
        log.deleteOnExit();
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("-H", HOST, "-p", String.valueOf(port)));
        Process process;
        try {
            process = new ProcessBuilder(args)
                    .redirectErrorStream(true)
                    .redirectOutput(log)
                    .start();
        } catch (IOException notFound) {
            throw new IOException(EXITED + NO_MOTO + ": cannot run " + command.get(0) + " (" + notFound.getMessage() + ")",
                    notFound);
        }
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
                throw new IOException(EXITED + process.exitValue() + ": " + Files.readString(log.toPath()));
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
