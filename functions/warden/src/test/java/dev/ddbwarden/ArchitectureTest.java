package dev.ddbwarden;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spine stays layered: no two packages of the functions depend on each other, however indirectly, and the
 * pure decisions ({@code check}, {@code policy}) import nothing of the AWS SDK. Read from the sources: a
 * dependency is any {@code dev.ddbwarden.<package>.} named in code (imports and qualified names; comments
 * do not count).
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/ddbwarden");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.ddbwarden\\.(\\w+)\\.");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    /** Packages whose classes decide without I/O: they must not reach the SDK. */
    private static final Set<String> PURE = Set.of("check", "policy");

    @Test
    void packages_shouldFormNoCycle() {
        // GIVEN the packages and what each names of the others
        Map<String, Set<String>> uses = dependencies();
        assertThat(uses).containsKeys("handler", "check", "ledger", "policy", "watcher");

        // WHEN / THEN no package reaches itself through others
        assertThat(cycles(uses)).isEmpty();
    }

    @Test
    void cycles_shouldBeFound_whenTwoPackagesReachEachOther() {
        // GIVEN a graph with one cycle through three packages and one package apart
        Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));

        // WHEN / THEN the cycle is found, and the package that only uses it is not in it
        assertThat(cycles(uses)).containsExactly(Set.of("a", "b", "c"));
    }

    @Test
    void watcherAndPolicy_shouldBeTheirOwnPackages_usedByNoRuleCode() {
        Map<String, Set<String>> uses = dependencies();

        // The watcher is not a rule: nothing but the local runner reaches into it.
        uses.forEach((pkg, used) -> assertThat(used).as(pkg).doesNotContain("watcher"));
        // The analysis depends on nothing but event parsing: rules use it, not the other way round.
        assertThat(uses.get("policy")).isSubsetOf(Set.of("event"));
    }

    @Test
    void pureDecisions_shouldImportNoSdk() throws IOException {
        for (String pkg : PURE) {
            try (Stream<Path> files = Files.list(SOURCES.resolve(pkg))) {
                files.forEach(file -> assertThat(code(file)).as(file.toString()).doesNotContain("software.amazon.awssdk"));
            }
        }
    }

    private static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
                String pkg = SOURCES.relativize(file).getName(0).toString();
                Set<String> used = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(code(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        used.add(m.group(1));
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uses;
    }

    private static String code(Path file) {
        try {
            return COMMENTS.matcher(Files.readString(file)).replaceAll(" ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The strongly connected sets of more than one package (Tarjan's algorithm). */
    static List<Set<String>> cycles(Map<String, Set<String>> uses) {
        Tarjan tarjan = new Tarjan(uses);
        new TreeSet<>(uses.keySet()).forEach(p -> {
            if (!tarjan.index.containsKey(p)) {
                tarjan.visit(p);
            }
        });
        return tarjan.found;
    }

    private static final class Tarjan {
        final Map<String, Set<String>> uses;
        final Map<String, Integer> index = new TreeMap<>();
        final Map<String, Integer> low = new TreeMap<>();
        final List<String> stack = new ArrayList<>();
        final List<Set<String>> found = new ArrayList<>();

        Tarjan(Map<String, Set<String>> uses) {
            this.uses = uses;
        }

        void visit(String p) {
            index.put(p, index.size());
            low.put(p, index.get(p));
            stack.add(p);
            for (String q : uses.getOrDefault(p, Set.of())) {
                if (!index.containsKey(q)) {
                    visit(q);
                    low.put(p, Math.min(low.get(p), low.get(q)));
                } else if (stack.contains(q)) {
                    low.put(p, Math.min(low.get(p), index.get(q)));
                }
            }
            if (low.get(p).equals(index.get(p))) {
                Set<String> component = new HashSet<>();
                String q;
                do {
                    q = stack.remove(stack.size() - 1);
                    component.add(q);
                } while (!q.equals(p));
                if (component.size() > 1) {
                    found.add(component);
                }
            }
        }
    }
}
