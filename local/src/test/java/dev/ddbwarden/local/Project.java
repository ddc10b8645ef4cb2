package dev.ddbwarden.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Files of the project the tests read: template.yaml and events/. */
final class Project {
    static final Path ROOT = Path.of(System.getProperty("ddbwarden.root", "..")).toAbsolutePath().normalize();
    static final Path EVENTS = ROOT.resolve("events");
    static final Path TEMPLATE = ROOT.resolve("template.yaml");

    private Project() {
    }

    static String event(String file) throws IOException {
        return Files.readString(EVENTS.resolve(file));
    }

    /** Every sample event file (not the routing table). */
    static List<String> eventFiles() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".json") && !name.equals("routing.json"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    static Template template() throws IOException {
        return Template.read(TEMPLATE);
    }
}
