package dev.ddbwarden.config;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Table names and glob patterns ({@code *} and {@code ?}), as operators write them in EXEMPT_TABLES. */
public final class TableGlobs {
    private final List<String> globs;
    private final List<Pattern> patterns;

    public TableGlobs(List<String> globs) {
        this.globs = List.copyOf(globs);
        this.patterns = globs.stream().map(TableGlobs::compile).collect(Collectors.toUnmodifiableList());
    }

    public boolean matches(String tableName) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(tableName).matches()) {
                return true;
            }
        }
        return false;
    }

    public List<String> globs() {
        return globs;
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Equal when the same globs in the same order: a re-read settings document that changed nothing is the same. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TableGlobs that && globs.equals(that.globs);
    }

    @Override
    public int hashCode() {
        return globs.hashCode();
    }

    @Override
    public String toString() {
        return String.join(",", globs);
    }
}
