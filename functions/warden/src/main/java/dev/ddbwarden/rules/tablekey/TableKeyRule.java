package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Lazy;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.SubjectLookup;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The customer managed KMS key behind a table stays usable. Disabling it or scheduling its deletion makes every
 * table it encrypts inaccessible, and DynamoDB archives a table whose key stays inaccessible for more than seven
 * days: the fix cancels the deletion and enables the key (CRITICAL). A key policy that denies DynamoDB the key, a
 * revoked or retired DynamoDB grant and deleted imported key material are reported CRITICAL, not undone. The security
 * roles and approved principals get a LOW alert and no fix (an incident responder may disable a key on purpose),
 * once CloudTrail confirms who acted.
 *
 * <p>A KMS call names a key, not a table: {@link KeyTables} finds the tables, and the call's one subject is the
 * first of them, whose alert names them all. Keys in other accounts are out of reach (KMS lets only the key's own
 * account cancel a deletion or enable it), and a key that encrypts no table is not this rule's business.
 */
public final class TableKeyRule implements Rule {
    public static final String RULE = "table-key";
    static final String KMS = "aws.kms";
    static final String KMS_EVENT_SOURCE = "kms.amazonaws.com";
    static final String DISABLE_KEY = "DisableKey";
    static final String SCHEDULE_KEY_DELETION = "ScheduleKeyDeletion";
    static final String PUT_KEY_POLICY = "PutKeyPolicy";
    static final String DELETE_IMPORTED_KEY_MATERIAL = "DeleteImportedKeyMaterial";
    /** The calls that take a grant away, after which the grants no longer name the table they served. */
    static final Set<String> GRANT_CALLS = Set.of("RevokeGrant", "RetireGrant");
    private static final List<Trigger> TRIGGERS = List.of(Trigger.from(KMS, DISABLE_KEY), Trigger.from(KMS, SCHEDULE_KEY_DELETION),
            Trigger.from(KMS, PUT_KEY_POLICY), Trigger.from(KMS, "RevokeGrant"), Trigger.from(KMS, "RetireGrant"),
            Trigger.from(KMS, DELETE_IMPORTED_KEY_MATERIAL));

    private final Supplier<RegionalKms> kms;
    private final KeyTables.Recent recent = new KeyTables.Recent();

    /** KMS clients are built on this rule's first KMS call: no other function ever makes one. */
    public TableKeyRule() {
        this(Lazy.of(RegionalKms::standard));
    }

    /** Tests hand in their own KMS clients (a mock where moto cannot answer). */
    TableKeyRule(Supplier<RegionalKms> kms) {
        this.kms = kms;
    }

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "TableKeyFunction";
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    @Override
    public Set<String> tableActions() {
        return TableReader.ACTIONS;
    }

    /** ListTables has no resource in IAM; the KMS actions are on keys. */
    @Override
    public Set<String> otherActions() {
        return Set.of("dynamodb:ListTables", "kms:ListGrants", "kms:DescribeKey", "kms:GetKeyPolicy",
                "kms:CancelKeyDeletion", "kms:EnableKey");
    }

    @Override
    public List<Augment<?>> augments() {
        return List.of(new KeyAugment((account, region) -> kms.get().in(account, region), recent));
    }

    @Override
    public SubjectLookup subjectLookup(FixContext context) {
        return new KeyTables((account, region) -> kms.get().in(account, region), context.dynamo(), recent);
    }

    /**
     * A key event whose look through the region's tables the time budget cut short before it found a table: no table
     * to decide on, yet no proof the key serves none, so it is never taken for "not ddb-warden's business". CRITICAL,
     * whoever acted: the alert cannot tell what the call put at risk.
     */
    @Override
    public Optional<ResourceFinding> evaluateResource(ApiCall call, Settings settings) {
        Optional<String> key = KMS_EVENT_SOURCE.equals(call.eventSource()) ? KeyCalls.keyArn(call) : Optional.empty();
        Optional<KeyTables.Found> found = key.flatMap(recent::of).filter(f -> f.tables().isEmpty());
        if (found.isEmpty() || found.get().cutShort().isEmpty()) {
            return Optional.empty();
        }
        String keyArn = key.get();
        return Optional.of(new ResourceFinding(RULE, Severity.CRITICAL, new ResourceRef("KMS key",
                keyArn.substring(keyArn.lastIndexOf('/') + 1), keyArn, RegionalKms.regionOf(keyArn), RegionalKms.accountOf(keyArn)),
                "tables behind a key not found in time", call.eventName() + " by " + call.actor().describe() + " on KMS key "
                        + keyArn + ": " + found.get().cutShort().get().describe() + ", and none of those read is encrypted by"
                        + " the key. ddb-warden cannot tell whether the key serves DynamoDB tables, so it changed nothing;"
                        + " if it does, they become inaccessible and DynamoDB archives them after more than seven days.",
                "Find the tables the key encrypts (aws kms list-grants --key-id " + keyArn + ", or each table's"
                        + " SSEDescription), and if any: " + new TableKeyRemedy.RestoreKey(keyArn).commands()));
    }

    @Override
    public Class<TableKeyRemedy> remedies() {
        return TableKeyRemedy.class;
    }

    @Override
    public List<Fix<?>> fixes(FixContext context) {
        return List.<Fix<?>>of(new RestoreKeyFix((account, region) -> kms.get().in(account, region)));
    }

    @Override
    public boolean decidesOnActor() {
        return true;
    }

    /** KMS's reads are eventually consistent: a key just disabled may still read Enabled for a moment. */
    @Override
    public boolean isCurrent(ApiCall call, TableState state) {
        Optional<KeyState> key = state.augment(KeyState.class).filter(KeyState::customerManaged);
        if (key.isEmpty() || key.get().refused().isPresent()) {
            return true;
        }
        return switch (call.eventName()) {
            case DISABLE_KEY -> !KeyState.ENABLED.equals(key.get().keyState());
            case SCHEDULE_KEY_DELETION -> KeyState.PENDING_DELETION.equals(key.get().keyState());
            case DELETE_IMPORTED_KEY_MATERIAL -> KeyState.PENDING_IMPORT.equals(key.get().keyState());
            default -> true;
        };
    }

    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings, Instant now) {
        Optional<KeyState> read = state.flatMap(s -> s.augment(KeyState.class)).filter(KeyState::customerManaged);
        if (read.isEmpty()) {
            return List.of();
        }
        boolean trusted = settings.approvedPrincipals().contains(call.actor().principalArn())
                || settings.quarantineExemptPrincipals().contains(call.actor().principalArn());
        TableKeyFindings findings = new TableKeyFindings(call, table, read.get(), trusted,
                call.eventTime().orElse(now));
        return findings.decide().map(List::of).orElse(List.of());
    }
}
