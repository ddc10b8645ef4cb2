package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.SubjectLookup;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.SSEDescription;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.ListGrantsResponse;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.NotFoundException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The tables a KMS key encrypts, found cheaply: DynamoDB holds a grant on a table's customer managed key whose
 * constraints carry the table's encryption context ({@code aws:dynamodb:tableName}, {@code aws:dynamodb:subscriberId}),
 * so ListGrants on the key names its tables in pages of up to 100 grants, whatever the number of tables in the
 * region; each name is then confirmed with DescribeTable. A grant names a table only while it exists, so the slow way,
 * ListTables and DescribeTable of every table in the key's region, is taken when the grants cannot answer: after a
 * RevokeGrant or RetireGrant (the grant that named the table is gone), when DynamoDB holds a grant on the key that
 * names no table, and when KMS refuses ListGrants. A key DynamoDB holds no grant on at all is looked no further: DynamoDB
 * uses a table's customer managed key through its grants, so such a key serves no table now, and disabling it or
 * scheduling its deletion takes nothing from any; a table whose grants were revoked or retired first lost its key at
 * that call, which this rule alerts with the full look. That look is bounded by the
 * invocation's time budget ({@link #LOOK_LEAVES} kept for deciding, fixing and alerting): cut short, it keeps what it
 * found and says how far it got ({@link CutShort}), so the fix still runs for a table found and the alert says the key
 * may encrypt more; cut short with nothing found, the rule alerts that it cannot tell ({@code evaluateResource}).
 *
 * <p>A call's one subject is the first of its tables by name: one ledger entry and one alert per key event, naming
 * every table, and a re-delivery finds the same first table and its decision done. The tables found are kept for
 * the moment the same invocation reads that table's {@link KeyState}.
 */
final class KeyTables implements SubjectLookup {
    private static final Logger LOG = LoggerFactory.getLogger(KeyTables.class);
    static final String TABLE_NAME = "aws:dynamodb:tableName";
    static final String SUBSCRIBER = "aws:dynamodb:subscriberId";
    private static final String DYNAMODB_CONTEXT = "aws:dynamodb:";
    /** DynamoDB's service principal, regional ({@code dynamodb.us-east-1.amazonaws.com}) or global, in any partition. */
    private static final Pattern DYNAMODB_PRINCIPAL = Pattern.compile("dynamodb(\\.[a-z0-9-]+)?\\.amazonaws\\.com(\\.cn)?");
    /**
     * What the full look leaves of the budget for the per-table steps after it: the table's reads, CloudTrail's
     * confirmation of the actor, the fix, the ledger and the alert.
     */
    static final Duration LOOK_LEAVES = Duration.ofSeconds(15);

    private final RegionalKms kms;
    private final RegionalDynamo dynamo;
    private final Recent recent;

    KeyTables(RegionalKms kms, RegionalDynamo dynamo, Recent recent) {
        this.kms = kms;
        this.dynamo = dynamo;
        this.recent = recent;
    }

    /**
     * What a lookup found, for the key-state read of the same invocation.
     *
     * @param cutShort how far the look through every table got when the time budget stopped it; empty when it finished
     */
    record Found(String keyArn, List<String> tables, Optional<Set<String>> granted, Optional<CutShort> cutShort,
                 long atNanos) {
    }

    /**
     * A look through the region's tables stopped by the time budget.
     *
     * @param read      the tables described (each checked for the key)
     * @param listed    the table names ListTables gave before the stop
     * @param listedAll whether ListTables had given every name (else {@code listed} is a lower bound)
     */
    record CutShort(int read, int listed, boolean listedAll) {
        String describe() {
            return "ddb-warden's look through the region's tables was cut short by its time budget after reading " + read
                    + " of " + (listedAll ? "" : "at least ") + listed + " tables, so the key may encrypt tables not named here";
        }
    }

    /** The last lookup: the one read the rule's function makes right after it, on the first table, takes it. */
    static final class Recent {
        private static final long FRESH_NANOS = 60_000_000_000L;
        private final AtomicReference<Found> last = new AtomicReference<>();
        private final AtomicReference<KeyMetadata> described = new AtomicReference<>();

        void keep(Found found) {
            last.set(found);
        }

        /** The lookup's DescribeKey answer, for the key-state read that follows it; not kept past a lookup. */
        void keepDescribed(KeyMetadata key) {
            described.set(key);
        }

        /**
         * The lookup's DescribeKey answer of {@code keyArn}, once: the first key-state read takes it instead of asking
         * KMS again, and a re-read (KMS's reads lag a change by a moment) asks KMS.
         */
        Optional<KeyMetadata> describedOnce(String keyArn) {
            return of(keyArn).flatMap(found -> Optional.ofNullable(described.getAndSet(null)))
                    .filter(key -> keyArn.equals(key.arn()));
        }

        Optional<Found> of(String keyArn) {
            Found found = last.get();
            return found != null && found.keyArn().equals(keyArn) && System.nanoTime() - found.atNanos() < FRESH_NANOS
                    ? Optional.of(found) : Optional.empty();
        }
    }

    @Override
    public List<TableRef> find(ApiCall call, TimeBudget budget) {
        if (!TableKeyRule.KMS_EVENT_SOURCE.equals(call.eventSource())) {
            return TableLocator.locate(call).map(List::of).orElse(List.of());
        }
        Optional<String> key = KeyCalls.keyArn(call);
        if (key.isEmpty()) {
            LOG.warn("{} names no KMS key by ID or ARN; nothing to do", call.eventName());
            return List.of();
        }
        String keyArn = key.get();
        if (!RegionalKms.accountOf(keyArn).equals(call.accountId())) {
            LOG.warn("KMS key {} is in another account than {}: out of ddb-warden's reach", keyArn, call.accountId());
            return List.of();
        }
        recent.keepDescribed(null);
        Optional<String> notOurs = notACustomerKey(keyArn);
        if (notOurs.isPresent()) {
            LOG.info("KMS key {} {}: {} is not ddb-warden's business", keyArn, notOurs.get(), call.eventName());
            return List.of();
        }
        Found found = lookUp(keyArn, TableKeyRule.GRANT_CALLS.contains(call.eventName()), budget);
        recent.keep(found);
        if (found.tables().isEmpty() && found.cutShort().isPresent()) {
            LOG.warn("KMS key {}: {}; none found yet", keyArn, found.cutShort().get().describe());
            return List.of();
        }
        if (found.tables().isEmpty()) {
            LOG.info("KMS key {} encrypts no DynamoDB table in {}: {} is not ddb-warden's business", keyArn,
                    RegionalKms.regionOf(keyArn), call.eventName());
            return List.of();
        }
        LOG.info("KMS key {} encrypts {} table(s): {}", keyArn, found.tables().size(), found.tables());
        String region = RegionalKms.regionOf(keyArn);
        return TableRef.parse(found.tables().get(0), region, call.accountId()).map(List::of).orElse(List.of());
    }

    /**
     * Why the key cannot be a table's customer managed key (it does not exist, or AWS manages it), or empty: told
     * before its grants are listed or the region's tables looked through, which cost far more than DescribeKey. A
     * refused DescribeKey is no answer: the key's state read then alerts that ddb-warden cannot see it.
     */
    private Optional<String> notACustomerKey(String keyArn) {
        try {
            KeyMetadata key = kms.of(keyArn).describeKey(r -> r.keyId(keyArn)).keyMetadata();
            recent.keepDescribed(key);
            return key.keyManager() == KeyManagerType.CUSTOMER ? Optional.empty() : Optional.of("is managed by AWS");
        } catch (NotFoundException e) {
            return Optional.of("does not exist");
        } catch (KmsException e) {
            if (!RegionalKms.refused(e)) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** @param grantGone whether the call took a grant away, so that the grants cannot name every table */
    Found lookUp(String keyArn, boolean grantGone, TimeBudget budget) {
        String region = RegionalKms.regionOf(keyArn);
        Optional<DynamoGrants> grants = dynamoGrants(keyArn);
        Optional<Set<String>> granted = grants.map(DynamoGrants::tables);
        // The key's own account holds the tables it can encrypt: a table's customer managed key is in its account.
        DynamoDbClient client = dynamo.in(keyArn.split(":")[4], region);
        TreeSet<String> tables = new TreeSet<>();
        if (!grantGone && grants.isPresent()) {
            if (grants.get().none()) {
                LOG.info("DynamoDB holds no grant on KMS key {}: it serves no table", keyArn);
                return new Found(keyArn, List.of(), granted, Optional.empty(), System.nanoTime());
            }
            grants.get().tables().stream().filter(name -> encrypts(client, name, keyArn)).forEach(tables::add);
        }
        Optional<CutShort> cutShort = tables.isEmpty() ? lookThroughEveryTable(client, keyArn, tables, budget) : Optional.empty();
        return new Found(keyArn, List.copyOf(tables), granted, cutShort, System.nanoTime());
    }

    /**
     * DynamoDB's grants on a key.
     *
     * @param tables the tables they name for this account
     * @param held   how many grants are DynamoDB's, naming a table or not
     */
    record DynamoGrants(Set<String> tables, int held) {
        boolean none() {
            return held == 0;
        }
    }

    /**
     * Whether a grant is DynamoDB's: its grantee or retiring principal is DynamoDB's service principal, or its
     * constraints carry DynamoDB's encryption context. Counted widely on purpose: a grant taken for DynamoDB's that names
     * no table sends the rule through every table, never past one.
     */
    static boolean dynamoDbs(GrantListEntry grant) {
        boolean context = grant.constraints() != null && (Stream.concat(
                grant.constraints().encryptionContextSubset().keySet().stream(),
                grant.constraints().encryptionContextEquals().keySet().stream()).anyMatch(k -> k.startsWith(DYNAMODB_CONTEXT)));
        return context || DYNAMODB_PRINCIPAL.matcher(String.valueOf(grant.granteePrincipal())).matches()
                || DYNAMODB_PRINCIPAL.matcher(String.valueOf(grant.retiringPrincipal())).matches();
    }

    /**
     * ListTables, then DescribeTable of each name, adding those {@code keyArn} encrypts to {@code tables}, while the
     * budget leaves {@link #LOOK_LEAVES}: every name is listed first (100 per call) so that a stop can say of how many.
     */
    private static Optional<CutShort> lookThroughEveryTable(DynamoDbClient client, String keyArn, TreeSet<String> tables,
                                                            TimeBudget budget) {
        List<String> names = new ArrayList<>();
        String after = null;
        do {
            if (!budget.allows(LOOK_LEAVES)) {
                return Optional.of(new CutShort(0, names.size(), false));
            }
            String start = after;
            ListTablesResponse page = client.listTables(r -> r.limit(100).exclusiveStartTableName(start));
            names.addAll(page.tableNames());
            after = page.lastEvaluatedTableName();
        } while (after != null);
        for (int read = 0; read < names.size(); read++) {
            if (!budget.allows(LOOK_LEAVES)) {
                return Optional.of(new CutShort(read, names.size(), true));
            }
            if (encrypts(client, names.get(read), keyArn)) {
                tables.add(names.get(read));
            }
        }
        return Optional.empty();
    }

    /** DynamoDB's grants on the key; empty when KMS refused to list them. */
    private Optional<DynamoGrants> dynamoGrants(String keyArn) {
        String account = RegionalKms.accountOf(keyArn);
        TreeSet<String> names = new TreeSet<>();
        int held = 0;
        try {
            KmsClient client = kms.of(keyArn);
            String marker = null;
            do {
                String from = marker;
                ListGrantsResponse page = client.listGrants(r -> r.keyId(keyArn).limit(100).marker(from));
                for (GrantListEntry grant : page.grants()) {
                    held += dynamoDbs(grant) ? 1 : 0;
                    Map<String, String> context = grant.constraints() == null ? Map.of()
                            : grant.constraints().encryptionContextSubset();
                    String table = context.get(TABLE_NAME);
                    if (table != null && account.equals(context.getOrDefault(SUBSCRIBER, account))) {
                        names.add(table);
                    }
                }
                marker = Boolean.TRUE.equals(page.truncated()) ? page.nextMarker() : null;
            } while (marker != null);
        } catch (NotFoundException e) {
            return Optional.of(new DynamoGrants(Set.of(), 0));
        } catch (KmsException e) {
            if (!RegionalKms.refused(e)) {
                throw e;
            }
            LOG.warn("KMS refused ListGrants on {} ({}): looking at every table instead", keyArn, e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new DynamoGrants(names, held));
    }

    /** Whether the table exists and DynamoDB says {@code keyArn} encrypts it. */
    static boolean encrypts(DynamoDbClient client, String table, String keyArn) {
        try {
            SSEDescription sse = client.describeTable(r -> r.tableName(table)).table().sseDescription();
            return sse != null && keyArn.equals(sse.kmsMasterKeyArn());
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }
}
