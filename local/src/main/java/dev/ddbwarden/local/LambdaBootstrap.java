package dev.ddbwarden.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one handler the way the Lambda Java runtime does, in a process of its own: loads the class
 * named by the template's Handler, calls its no-argument constructor (the init phase), then
 * handleRequest once. The result goes to standard output, everything else to standard error.
 * Exit status: 0 when the handler returned, 1 when init or the handler threw.
 */
public final class LambdaBootstrap {
    private LambdaBootstrap() {
    }

    /** Arguments: handler, event file, function name, memory in MB, timeout in seconds. */
    public static void main(String[] args) throws Exception {
        PrintStream result = System.out;
        // Libraries that print (EMF metrics among them) must not mix with the result.
        System.setOut(System.err);
        String handler = args[0];
        Path eventFile = Path.of(args[1]);
        LocalContext context = new LocalContext(args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));

        long initStart = System.nanoTime();
        RequestStreamHandler instance;
        try {
            instance = load(handler);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() != null && e instanceof ReflectiveOperationException ? e.getCause() : e;
            System.err.println("INIT failed for " + handler + ": " + cause);
            System.exit(1);
            return;
        }
        long initMillis = (System.nanoTime() - initStart) / 1_000_000;

        long start = System.nanoTime();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream event = Files.newInputStream(eventFile)) {
            instance.handleRequest(event, output, context);
        } catch (Exception | Error e) {
            e.printStackTrace(System.err);
            report(initMillis, start);
            System.exit(1);
            return;
        }
        report(initMillis, start);
        result.println(output.toString(StandardCharsets.UTF_8));
        result.flush();
    }

    private static RequestStreamHandler load(String handler) throws ReflectiveOperationException {
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        Class<?> type = Class.forName(className);
        if (!RequestStreamHandler.class.isAssignableFrom(type)) {
            throw new ClassCastException(className + " is not a RequestStreamHandler");
        }
        return (RequestStreamHandler) type.getConstructor().newInstance();
    }

    private static void report(long initMillis, long start) {
        long duration = (System.nanoTime() - start) / 1_000_000;
        long usedMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024);
        // Concatenated, not printf: under the C locale a Formatter loads the JDK's locale data (4 ms), a cost
        // the Lambda service, which writes REPORT itself, never charges to the function's JVM.
        System.err.println("REPORT Init Duration: " + initMillis + " ms\tDuration: " + duration + " ms\tMemory Used: "
                + usedMb + " MB");
    }
}
