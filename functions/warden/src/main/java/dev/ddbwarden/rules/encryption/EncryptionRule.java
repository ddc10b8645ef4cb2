package dev.ddbwarden.rules.encryption;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.RuleSetting;
import dev.ddbwarden.rules.SharedSettings;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.LastSeen;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A table encrypted with a customer managed key stays so. UpdateTable moving it to an AWS owned or AWS managed key,
 * to a key of another account, or to a key outside ALLOWED_KMS_KEYS (when set) is HIGH, and is undone with the key
 * the table had before, which the ledger remembers from the last time this rule found the table compliant, once KMS
 * says that key is still this account's, customer managed and enabled. A table made (created, restored, imported)
 * without a customer managed key is reported (MEDIUM) when REQUIRE_CMK is true: there is no earlier key to restore.
 * The sweep applies the same checks. A remembered key is only ever a key to go back to: it never makes a table
 * compliant, and one outside today's settings is not used.
 */
public final class EncryptionRule implements Rule {
    public static final String RULE = "encryption";
    static final String UPDATE_TABLE = "UpdateTable";
    static final String SPECIFICATION = "sSESpecification";
    /** What this rule remembers of a table: which kind of key encrypted it, and the customer managed key's ARN. */
    static final String KIND_FACT = "sseKind";
    static final String KEY_FACT = "kmsKeyArn";
    private static final List<String> NEW_TABLE_CALLS = List.of("CreateTable", "RestoreTableFromBackup",
            "RestoreTableToPointInTime", "ImportTable", ApiCall.BACKUP_RESTORE);
    private static final List<Trigger> TRIGGERS = List.of(Trigger.on(UPDATE_TABLE, SPECIFICATION + ".enabled"),
            Trigger.on(UPDATE_TABLE, SPECIFICATION + ".sSEType"), Trigger.on(UPDATE_TABLE, SPECIFICATION + ".kMSMasterKeyId"),
            Trigger.on("CreateTable"),
            Trigger.on("RestoreTableFromBackup"), Trigger.on("RestoreTableToPointInTime"), Trigger.on("ImportTable"),
            Trigger.from(Trigger.BACKUP, ApiCall.BACKUP_RESTORE));
    /** The customer managed keys (ARNs) tables may use; empty: any customer managed key of this account. */
    public static final RuleSetting<Set<String>> ALLOWED_KMS_KEYS = new RuleSetting<>("ALLOWED_KMS_KEYS", raw -> {
        Set<String> keys = Arrays.stream(raw.split(",")).map(String::trim).filter(k -> !k.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        keys.stream().filter(k -> Sse.accountOf(k).isEmpty()).findFirst().ifPresent(k -> {
            throw new ConfigException("ALLOWED_KMS_KEYS", "'" + k + "' is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)");
        });
        return keys;
    }, Set.of());
    /** Whether every table must use a customer managed key: shared with the egress rule's exports. */
    public static final RuleSetting<Boolean> REQUIRE_CMK = SharedSettings.REQUIRE_CMK;

    private final Keys keys;

    public EncryptionRule() {
        this(Keys.standard());
    }

    /** @param keys KMS clients by region: mocked in tests where moto does not model the call */
    EncryptionRule(Keys keys) {
        this.keys = keys;
    }

    /** What the encryption rule can ask to be done, besides an alert. */
    public sealed interface EncryptionRemedy extends Remedy {

        /** UpdateTable(SSESpecification: KMS with the key the table had before). */
        record RestoreKey(String keyArn) implements EncryptionRemedy {
            @Override
            public boolean changesTable() {
                return true;
            }

            @Override
            public String done() {
                return "Put the table back under its previous customer managed key " + keyArn + " (UpdateTable SSESpecification).";
            }

            @Override
            public String manualStep(TableRef table) {
                return "aws dynamodb update-table --region " + table.region() + " --table-name " + table.arn()
                        + " --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=" + keyArn;
            }
        }
    }

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "EncryptionFunction";
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    @Override
    public Set<String> tableActions() {
        return TableReader.actionsWith("dynamodb:UpdateTable");
    }

    @Override
    public Set<String> otherActions() {
        return RestoreKeyFix.KEY_ACTIONS;
    }

    @Override
    public List<Augment<?>> augments() {
        return List.of(new SseAugment(keys));
    }

    @Override
    public List<RuleSetting<?>> settings() {
        return List.of(ALLOWED_KMS_KEYS, REQUIRE_CMK);
    }

    @Override
    public Class<EncryptionRemedy> remedies() {
        return EncryptionRemedy.class;
    }

    @Override
    public List<Fix<?>> fixes(FixContext context) {
        return List.<Fix<?>>of(new RestoreKeyFix(context.dynamo(), keys));
    }

    @Override
    public Set<String> remembers() {
        return Set.of(KIND_FACT, KEY_FACT);
    }

    @Override
    public Map<String, String> toRemember(TableState compliant) {
        return compliant.augment(Sse.class).map(sse -> {
            Map<String, String> facts = new HashMap<>(Map.of(KIND_FACT, sse.kind().name()));
            if (sse.kind() == Sse.Kind.CUSTOMER) {
                sse.keyArn().ifPresent(arn -> facts.put(KEY_FACT, arn));
            }
            return Map.copyOf(facts);
        }).orElse(Map.of());
    }

    /** An UpdateTable of the key is decided once the live table shows the key it asked for. */
    @Override
    public boolean isCurrent(ApiCall call, TableState state) {
        JsonNode asked = call.requestParameters().path(SPECIFICATION);
        Optional<Sse> live = state.augment(Sse.class);
        if (!UPDATE_TABLE.equals(call.eventName()) || asked.isMissingNode() || live.isEmpty()) {
            return true;
        }
        if (asked.path("enabled").isBoolean() && !asked.path("enabled").asBoolean()) {
            return live.get().kind() == Sse.Kind.AWS_OWNED;
        }
        String key = asked.path("kMSMasterKeyId").asText("");
        if (key.isEmpty()) {
            return live.get().kind() != Sse.Kind.AWS_OWNED;
        }
        // An alias cannot be told from the ARN the table shows without another call: the change is taken as visible.
        return key.contains("alias/") || live.get().keyArn().map(arn -> arn.equals(key) || arn.endsWith("/" + key)).orElse(false);
    }

    /** A key change still invisible would pass for the old, compliant key: it waits for the re-check queue. */
    @Override
    public boolean mayDecideOnStaleState(ApiCall call) {
        return !UPDATE_TABLE.equals(call.eventName());
    }

    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings, Instant now) {
        Optional<Sse> read = state.flatMap(s -> s.augment(Sse.class));
        if (read.isEmpty()) {
            return List.of();
        }
        Sse live = read.get();
        boolean newTable = NEW_TABLE_CALLS.contains(call.eventName());
        Optional<LastSeen> seen = newTable ? Optional.empty() : state.get().augment(LastSeen.class);
        Optional<String> wrong = Verdict.wrongKey(live, table, ALLOWED_KMS_KEYS.in(settings));
        if (wrong.isPresent()) {
            return List.of(finding(Severity.HIGH, table, "table key not allowed", wrong.get(), call, live, seen, settings));
        }
        if (live.kind() == Sse.Kind.CUSTOMER) {
            return List.of();
        }
        if (Verdict.movedOffCmk(call, live, seen)) {
            return List.of(finding(Severity.HIGH, table, "customer managed key removed", "Table " + table.name()
                    + " is no longer encrypted with a customer managed key: it is now under " + Verdict.describe(live)
                    + ", and was under customer managed key " + seen.flatMap(s -> s.fact(KEY_FACT)).orElse("(not known to ddb-warden)")
                    + ".", call, live, seen, settings));
        }
        if (REQUIRE_CMK.in(settings)) {
            return List.of(finding(Severity.MEDIUM, table, "no customer managed key", "Table " + table.name() + " is encrypted with "
                    + Verdict.describe(live) + ", and REQUIRE_CMK=true asks for a customer managed key.", call, live, seen, settings));
        }
        return List.of();
    }

    private static Finding finding(Severity severity, TableRef table, String title, String what, ApiCall call, Sse live,
                                   Optional<LastSeen> seen, Settings settings) {
        String after = call.isSweep() ? " Found by the sweep."
                : " After " + call.eventName() + " by " + call.actor().describe() + ".";
        String detail = what + after + " " + Verdict.STAKES;
        Optional<String> back = seen.flatMap(s -> Verdict.keyToRestore(s, live, table, ALLOWED_KMS_KEYS.in(settings)));
        if (back.isPresent()) {
            return new Finding(RULE, severity, table, title, detail, new EncryptionRemedy.RestoreKey(back.get()));
        }
        return new Finding(RULE, severity, table, title, detail + " ddb-warden knows no earlier customer managed key of"
                + " this table that it may restore: choose one.", new Remedy.AlertOnly(
                "aws dynamodb update-table --region " + table.region() + " --table-name " + table.arn()
                        + " --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=KEY_ARN"));
    }
}
