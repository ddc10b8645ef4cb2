package dev.ddbwarden.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.Parsed;
import dev.ddbwarden.event.TableLocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Events parsed per second, from raw bytes to a typed call and its table, as a handler does. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventParsingBenchmark {
    private final ObjectMapper json = new ObjectMapper();
    private byte[] event;

    @Setup
    public void setUp() throws IOException {
        Path events = Path.of(System.getProperty("ddbwarden.events", "events"));
        event = Files.readAllBytes(events.resolve("create-table-unprotected.json"));
    }

    @Benchmark
    public Object parseAndLocate() throws IOException {
        return locate(JsonText.read(event));
    }

    /** The same with ObjectMapper's tree reading, which JsonText replaced on the handlers' path (#7). */
    @Benchmark
    public Object parseAndLocateWithObjectMapper() throws IOException {
        return locate(json.readTree(event));
    }

    private static Object locate(JsonNode tree) {
        Parsed parsed = ApiCallParser.parse(tree);
        return parsed instanceof Parsed.Call call ? TableLocator.locate(call.call()) : parsed;
    }
}
