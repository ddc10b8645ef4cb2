package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.rules.privatenetwork.NetworkStatement;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The private-network rule's part of the fault scenarios' corpus (docs/private-network.md). The bench deploys
 * PrivateTables naming the corpus's {@code pn?-*} tables, reached through the samples' VPC endpoint; a tag opts a
 * table of another name in only when a trusted principal set it. Its data events fall on a few shared tables
 * ({@link Corpus.Setup#SHARED}), from two sources over three hours, so that many calls meet on one alert key: a private
 * table's data calls from outside its endpoints are alerted once per table, source and UTC hour
 * ({@link AlertFold#SOURCE_HOUR}), and calls through the endpoint not at all. A batch, transaction or PartiQL call
 * names more tables: a second private one is the other shared table, so that its key is one the single-item calls
 * fall on too, and an open one is a table of the case's own that PrivateTables does not name.
 */
final class CorpusNetwork {
    static final String PRIVATE_NETWORK = "private-network";
    /** The VPC endpoint the private-network samples' tag and data events name. */
    static final String ENDPOINT = "vpce-0a1b2c3d4e5f60718";
    /** The settings the bench deploys for the rule: the corpus's private tables by name, and their endpoint. */
    static final Map<String, String> SETTINGS = Map.of("PRIVATE_TABLES", "pn?-*", "ALLOWED_VPC_ENDPOINTS", ENDPOINT);
    /** How many tables the data events share, and over how many sources and hours their variations spread. */
    private static final int TABLES = 2;
    private static final int SOURCES = 2;
    private static final int HOURS = 3;
    private static final Instant BURST = Instant.parse("2024-05-14T09:00:00Z");
    /** The samples' tables the bench leaves out of PrivateTables, as PrivateNetworkIT leaves audit-log. */
    private static final Set<String> OPEN = Set.of("audit-log");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private CorpusNetwork() {
    }

    /** The shared table a data event of the corpus is about: private by name (PrivateTables). */
    static String sharedTable(long seed, int index) {
        return String.format("pnh-%d-%d", Math.abs(seed % 1000), index % TABLES);
    }

    /** A varied data event's time and source, from the draws every variation makes, narrowed to the shared burst. */
    static void crowd(ObjectNode detail, int second, int host) {
        String time = BURST.plusSeconds(second % (HOURS * 3600)).toString();
        detail.put("eventTime", time);
        detail.put("sourceIPAddress", "203.0.113." + (1 + host % SOURCES));
    }

    /**
     * What a data event's sample table {@code name}, its {@code n}th, becomes in case {@code index} about the shared
     * {@code table}: the first that table; an open one a table of the case's own outside PrivateTables; another the
     * next shared table.
     */
    static String rename(String table, int index, int n, String name) {
        if (n == 0) {
            return table;
        }
        if (OPEN.contains(name)) {
            return "open-" + table + "-" + index;
        }
        int dash = table.lastIndexOf('-');
        return table.substring(0, dash + 1) + (Integer.parseInt(table.substring(dash + 1)) + n) % TABLES;
    }

    /** Renames a table in a data event: as {@link Corpus#rename} does, and where a PartiQL statement names it bare. */
    static String rename(String text, String from, String to) {
        return Pattern.compile("(?<=[\\s\"/])" + Pattern.quote(from) + "(?=[\\s\"/\\\\])").matcher(text)
                .replaceAll(Matcher.quoteReplacement(to));
    }

    /** The tables a data case's event names, as its kind's names were renamed, the case's own first. */
    static List<String> tables(Corpus.Case c) {
        return named(c, name -> true);
    }

    /** The private ones of them: all but the open ones. */
    static List<String> privateTables(Corpus.Case c) {
        return named(c, name -> !OPEN.contains(name));
    }

    private static List<String> named(Corpus.Case c, Predicate<String> which) {
        List<String> names = c.kind().names();
        return IntStream.range(0, names.size()).filter(n -> which.test(names.get(n)))
                .mapToObj(n -> rename(c.table(), c.index(), n, names.get(n))).toList();
    }

    /** A shared table is made by the first case that names it; every table its event names stands. */
    static void setUp(LocalEstate estate, Corpus.Case c) {
        for (String table : c.kind().names().isEmpty() ? List.of(c.table()) : tables(c)) {
            try {
                estate.createTable(table, true);
            } catch (ResourceInUseException madeByAnEarlierCase) {
                // the table the event reached stands already, as the event left it
            }
        }
    }

    /**
     * The keys a data event is alerted under, one per private table it names ({@code table source hour}, the source
     * the endpoint ID, else the source address), as the rule's ledger keys them, each with its table.
     */
    static Map<String, String> sourceHours(Corpus.Case c) {
        JsonNode detail;
        try {
            detail = Corpus.parse(c.event()).path("detail");
        } catch (IOException e) {
            throw new IllegalStateException("a corpus case's event does not parse: " + c.kind().file(), e);
        }
        String endpoint = detail.path("vpcEndpointId").asText("");
        String source = endpoint.isEmpty() ? detail.path("sourceIPAddress").asText() : endpoint;
        String hour = HOUR.format(Instant.parse(detail.path("eventTime").asText()));
        Map<String, String> keys = new LinkedHashMap<>();
        privateTables(c).forEach(table -> keys.put(c.region() + ":" + table + " " + source + " " + hour, table));
        return keys;
    }

    /**
     * Why a private-network case's table is not as it must be: PRIVATE, its policy holds ddb-warden's statement for
     * the endpoint, and the owner's statement the kind keeps; OPEN, no statement (an untrusted tag changed nothing).
     */
    static Optional<String> wrongPolicy(LocalEstate estate, Corpus.Case c) {
        String policy = estate.policy(c.table()).orElse("");
        boolean statement = policy.contains(NetworkStatement.SID);
        if (c.kind().end() == Corpus.End.OPEN) {
            return statement ? Optional.of("an untrusted tag made it private: " + policy) : Optional.empty();
        }
        boolean whole = statement && policy.contains(ENDPOINT) && policy.contains(c.kind().kept());
        return whole ? Optional.empty() : Optional.of("its policy lacks " + NetworkStatement.SID + " for " + ENDPOINT
                + (c.kind().kept().isEmpty() ? "" : " or lost " + c.kind().kept()) + ": " + policy);
    }
}
