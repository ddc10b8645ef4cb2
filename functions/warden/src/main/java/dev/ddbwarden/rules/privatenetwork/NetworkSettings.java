package dev.ddbwarden.rules.privatenetwork;

import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.TableGlobs;
import dev.ddbwarden.rules.RuleSetting;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The private-network rule's lines of the settings parameter, and the one shape a VPC endpoint ID has. */
final class NetworkSettings {
    /** A VPC endpoint's ID as EC2 gives it (8 or 17 hexadecimal digits). */
    private static final Pattern ENDPOINT = Pattern.compile("vpce-[0-9a-f]{8}([0-9a-f]{9})?");
    private static final Pattern TABLE_GLOB = Pattern.compile("[a-zA-Z0-9_.*?-]{1,255}");

    /** Tables kept off the internet by name or glob, reached only through ALLOWED_VPC_ENDPOINTS. */
    static final RuleSetting<TableGlobs> PRIVATE_TABLES = new RuleSetting<>("PRIVATE_TABLES", NetworkSettings::globs,
            new TableGlobs(List.of()));
    /** The VPC endpoints PRIVATE_TABLES are reached through. */
    static final RuleSetting<List<String>> ALLOWED_VPC_ENDPOINTS = new RuleSetting<>("ALLOWED_VPC_ENDPOINTS",
            raw -> endpoints(raw).orElseThrow(() -> new ConfigException("ALLOWED_VPC_ENDPOINTS",
                    "'" + raw + "' is not a list of VPC endpoint IDs (vpce-...)")), List.of());
    /**
     * Whether a {@code ddb-warden:network} tag an approved principal or security role sets opts a table in; tables it
     * opted in before stay so. Off, only PRIVATE_TABLES makes a table private.
     */
    static final RuleSetting<Boolean> NETWORK_TAGS = new RuleSetting<>("NETWORK_TAGS", raw -> {
        String word = raw.strip().toLowerCase(Locale.ROOT);
        if (!word.equals("true") && !word.equals("false")) {
            throw new ConfigException("NETWORK_TAGS", "'" + raw + "' is not true or false");
        }
        return word.equals("true");
    }, true);

    private NetworkSettings() {
    }

    /** The endpoint IDs of a comma-separated list, empty when any is not one (an empty list is none, not a list). */
    static Optional<List<String>> endpoints(String raw) {
        List<String> ids = Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return ids.stream().allMatch(id -> ENDPOINT.matcher(id).matches()) ? Optional.of(ids) : Optional.empty();
    }

    private static TableGlobs globs(String raw) {
        List<String> globs = Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String glob : globs) {
            if (!TABLE_GLOB.matcher(glob).matches()) {
                throw new ConfigException(PRIVATE_TABLES.name(), "'" + glob + "' is not a table name or glob");
            }
        }
        return new TableGlobs(globs);
    }
}
