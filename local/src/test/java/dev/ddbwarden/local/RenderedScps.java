package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The SCPs as an organization receives them: scp/render run on a settings file, as README says. The two settings
 * the tests use are scp/settings as shipped and the longest values scp/README.md documents for each placeholder
 * (its table's last column), which is what must stay within AWS Organizations' 5,120 characters.
 */
final class RenderedScps {
    static final Path SCP = Project.ROOT.resolve("scp");
    static final Path SHIPPED_SETTINGS = SCP.resolve("settings");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SETTING_ROW = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\|.*\\| ([^|]+) \\|\\s*$");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** One rendered policy: its file name, the text create-policy takes, and that text parsed. */
    record Rendered(String file, String text, JsonNode policy) {
        /** Whether it is a service control policy: the resource control policy (rcp-*) applies to resources instead. */
        boolean scp() {
            return !file.startsWith("rcp-");
        }
    }

    private RenderedScps() {
    }

    /** Every SCP rendered with the settings file, by file name. */
    static Map<String, Rendered> render(Path settings) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("scp-rendered");
        Process render = new ProcessBuilder("python3", SCP.resolve("render").toString(), settings.toString(),
                out.toString()).redirectErrorStream(true).start();
        String output = new String(render.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!render.waitFor(60, TimeUnit.SECONDS) || render.exitValue() != 0) {
            throw new IllegalStateException("scp/render " + settings + " failed: " + output);
        }
        Map<String, Rendered> rendered = new TreeMap<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.toList()) {
                String text = Files.readString(file);
                rendered.put(file.getFileName().toString(),
                        new Rendered(file.getFileName().toString(), text, JSON.readTree(text)));
            }
        }
        return rendered;
    }

    /** The shipped SCPs (not the RCP) as the shipped settings render them, with some settings given other values. */
    static List<JsonNode> shipped(Map<String, List<String>> overrides) throws IOException, InterruptedException {
        StringBuilder settings = new StringBuilder();
        for (String line : Files.readAllLines(SHIPPED_SETTINGS)) {
            String name = line.split("=", 2)[0].trim();
            if (!overrides.containsKey(name)) {
                settings.append(line).append('\n');
            }
        }
        overrides.forEach((name, values) -> settings.append(name).append(" = ").append(String.join(" ", values))
                .append('\n'));
        Path file = Files.createTempFile("scp", ".settings");
        Files.writeString(file, settings);
        List<JsonNode> policies = new ArrayList<>();
        render(file).values().stream().filter(Rendered::scp).forEach(r -> policies.add(r.policy()));
        return policies;
    }

    /** A settings file with the longest values scp/README.md's placeholder table documents for each setting. */
    static Path longestSettings() throws IOException {
        Map<String, List<String>> values = longestDocumented();
        StringBuilder text = new StringBuilder();
        values.forEach((name, list) -> text.append(name).append(" = ").append(String.join(" ", list)).append('\n'));
        Path file = Files.createTempFile("scp-longest", ".settings");
        Files.writeString(file, text);
        return file;
    }

    static Map<String, List<String>> longestDocumented() throws IOException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Matcher row = SETTING_ROW.matcher(Files.readString(SCP.resolve("README.md")));
        while (row.find()) {
            List<String> documented = new ArrayList<>();
            Matcher code = CODE.matcher(row.group(2));
            while (code.find()) {
                documented.add(code.group(1));
            }
            values.put(row.group(1), documented);
        }
        return values;
    }
}
