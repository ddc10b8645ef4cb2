package dev.ddbwarden.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relative links of a Markdown file, and the ones that lead nowhere: a file that does not exist, or an
 * {@code #anchor} that names no heading of its file. Anchors follow GitHub's rules: the heading's text without
 * its inline markup, lowercased, every character but letters, digits, spaces, hyphens and underscores dropped,
 * spaces turned into hyphens, and {@code -1}, {@code -2}... added to a repeated one. Links inside code (fenced
 * blocks, backticks) are text, not links, as GitHub renders them.
 */
final class DocLinks {
    /** {@code [text](target)} or {@code [text](target "title")}; an image's {@code ![alt](src)} is a link too. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`+[^`]*`+");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private DocLinks() {
    }

    /** Every link of {@code file} that does not resolve, each as {@code file:line: target (reason)}. */
    static List<String> broken(Path root, Path file) throws IOException {
        List<String> broken = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (link.find()) {
                String target = link.group(1);
                String reason = reasonBroken(file, target);
                if (reason != null) {
                    broken.add(root.relativize(file) + ":" + (i + 1) + ": " + target + " (" + reason + ")");
                }
            }
        }
        return broken;
    }

    /** Why {@code target}, written in {@code from}, leads nowhere; null when it resolves or is not ours to check. */
    private static String reasonBroken(Path from, String target) throws IOException {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor == null) {
            return null;
        }
        if (Files.isDirectory(resolved) || !resolved.toString().endsWith(".md")) {
            return "an anchor in a file that is not Markdown";
        }
        return anchors(resolved).contains(anchor) ? null : "no heading with anchor #" + anchor;
    }

    /** The anchors GitHub gives the headings of a Markdown file. */
    static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(file)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (fenced || !heading.matches()) {
                continue;
            }
            String slug = slug(heading.group(1));
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }

    /** GitHub's anchor for a heading's text. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "");
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\- _]", "")
                .replace(' ', '-');
    }
}
