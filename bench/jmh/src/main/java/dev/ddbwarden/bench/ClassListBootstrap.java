package dev.ddbwarden.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.Rules;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For bench/priming-classes: builds the handler of each named rule from the environment (as Lambda's
 * init does, with the rule given here rather than by RULE, so one JVM runs them all), prints {@link #MARKER} to standard error, then handles one event with each. Run with
 * -Xlog:class+load:stderr, the classes logged after the marker are those first invocations load.
 *
 * <p>Arguments: pairs of RULE_NAME EVENT.json.
 */
public final class ClassListBootstrap {
    public static final String MARKER = "---- ddb-warden: init done, first invocations follow ----";

    private ClassListBootstrap() {
    }

    public static void main(String[] args) throws Exception {
        System.setOut(System.err);
        List<RequestStreamHandler> handlers = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            handlers.add(new WardenHandler(Rules.byName(args[i]).orElseThrow(), Services.fromEnvironment()));
        }
        System.err.println(MARKER);
        for (int i = 0; i < args.length; i += 2) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try (InputStream event = Files.newInputStream(Path.of(args[i + 1]))) {
                handlers.get(i / 2).handleRequest(event, output, new WarmPath.BenchContext());
            }
            System.err.println("result of " + args[i] + ": " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
