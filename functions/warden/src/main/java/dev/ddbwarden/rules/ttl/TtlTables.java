package dev.ddbwarden.rules.ttl;

import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.TableGlobs;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** TTL_TABLES: table names and globs, each as EXEMPT_TABLES takes them; a bad one refuses the settings. */
final class TtlTables {
    private static final Pattern TABLE_GLOB = Pattern.compile("[a-zA-Z0-9_.*?-]{1,255}");

    private TtlTables() {
    }

    static TableGlobs parse(String raw) {
        List<String> globs = Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String glob : globs) {
            if (!TABLE_GLOB.matcher(glob).matches()) {
                throw new ConfigException(TtlRule.TTL_TABLES.name(), "'" + glob + "' is not a table name or glob");
            }
        }
        return new TableGlobs(globs);
    }
}
