package dev.ddbwarden.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.handler.Priming;
import dev.ddbwarden.handler.Services;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One SnapStart container's life in a process of its own, for {@link ArtifactRun}: init (the handler's
 * no-argument constructor), priming as SnapStart runs it before the snapshot, then one invocation per
 * event file, in order. It needs nothing from this module but itself and {@link LocalContext}, so that a
 * process started on the deployable artifact and these two classes loads everything else from the
 * artifact. Writes one JSON line per step to standard output: the priming report, then each event's
 * result or the exception it threw; everything else goes to standard error.
 *
 * <p>Arguments: handler, function name, memory in MB, timeout in seconds, event files.
 */
public final class ContainerBootstrap {
    private ContainerBootstrap() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream lines = System.out;
        // Libraries that print (EMF metrics among them) must not mix with the lines.
        System.setOut(System.err);
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        String handler = args[0];
        LocalContext context = new LocalContext(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        RequestStreamHandler instance = (RequestStreamHandler) Class.forName(className).getConstructor().newInstance();

        // SnapStart primes with the handler's own services; these are built the same way.
        Priming.Report report = new Priming(Services.fromEnvironment()).prime();
        ObjectNode priming = nodes.objectNode().put("step", "priming");
        report.done().forEach(priming.putArray("done")::add);
        report.failed().forEach(priming.putObject("failed")::put);
        lines.println(JsonText.write(priming));

        for (int i = 4; i < args.length; i++) {
            ObjectNode line = nodes.objectNode().put("step", Path.of(args[i]).getFileName().toString());
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try (InputStream event = Files.newInputStream(Path.of(args[i]))) {
                instance.handleRequest(event, output, context);
                line.set("result", JsonText.read(output.toByteArray()));
            } catch (Exception | LinkageError e) {
                e.printStackTrace(System.err);
                line.put("threw", e.toString());
            }
            lines.println(JsonText.write(line));
        }
        lines.flush();
    }
}
