package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.check.Decommission;
import dev.ddbwarden.check.QuarantineStatement;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recorded and generated events for the fault scenarios: every sample in events/ that a rule acts on, once
 * as recorded (its table renamed, so that no two cases share a table) and then in seeded variations (new
 * table, event ID, time and source address), each with the table it names laid out in moto as the event
 * left it, and what the table must look like once ddb-warden is done.
 */
final class Corpus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYDNEY = "ap-southeast-2";
    private static final String DELETION_PROTECTION = "deletion-protection";

    /**
     * How the table looks before the event is delivered. TTL_ON: protected, TTL on over the attribute the event
     * names; TAGGED: protected, carrying the tags the event writes; KEY_DISABLED, KEY_PENDING_DELETION: protected,
     * under a customer managed key of its own (with the grant DynamoDB holds on it) that the event's call left so;
     * KEY_ALONE: no table, a disabled key that encrypts none; KEY_POLICY_WRITTEN: protected, under a key of its own
     * whose policy is the one the event wrote; KEY_AS_ASKED: protected, encrypted as the event's UpdateTable asked (moto
     * takes any key ARN at CreateTable and ignores UpdateTable's). The table-key cases deliver the event with the new
     * key's ID.
     */
    enum Setup { UNPROTECTED, PROTECTED, POLICY_WRITTEN, NONE, TTL_ON, TAGGED, KEY_DISABLED, KEY_PENDING_DELETION, KEY_ALONE,
        KEY_POLICY_WRITTEN, KEY_AS_ASKED,
        /**
         * Issue 17's alert-only rules ({@link CorpusAccess}): a shipped SCP attached to an OU and detached, another
         * policy so, a shipped SCP updated as the event says, a shipped SCP deleted; a DAX cluster in plain text, encrypted
         * with a read-only role, encrypted with a role that may write, a cluster's read-only role given the event's
         * inline policy, a managed policy of a cluster's role given a new default version; a group with the policy the
         * event wrote, a user in a group whose policy allows DynamoDB, a user whose own policy does.
         */
        SCP_DETACHED, OTHER_SCP_DETACHED, SCP_UPDATED, SCP_DELETED, DAX_PLAIN, DAX_ENCRYPTED, DAX_WRITER, DAX_ROLE_WRITTEN,
        DAX_POLICY_VERSIONED, IAM_GROUP_POLICY, IAM_USER_IN_GROUP, IAM_USER_POLICY,
        /** Protected, one of the few private tables the data events share, made by the first ({@link CorpusNetwork}). */
        SHARED }

    /**
     * How the table must look afterwards (TTL_OFF, KEY_ENABLED, KEY_DISABLED, PRIVATE, OPEN: protected as well). PRIVATE:
     * its policy holds private-network's statement (and {@code kept}); OPEN: it does not ({@link CorpusNetwork#wrongPolicy}).
     */
    enum End { PROTECTED, DECOMMISSIONED, QUARANTINED, POLICY_CLEANED, POLICY_KEPT, GONE, ANY, TTL_OFF, KEY_ENABLED, KEY_DISABLED,
        PRIVATE, OPEN }

    /**
     * One sample and what it means.
     *
     * @param names      the table names the sample mentions, the one it is about first
     * @param violations violations ddb-warden must report for it (one alert each)
     * @param gone       for POLICY_CLEANED: text the policy must no longer hold; kept: text it must still hold
     * @param onResource the alerts it calls for name a resource (a vault, a plan, a recovery point, a key), not the
     *                   table: every alert with its event ID is one of its alerts
     * @param fold       besides its {@code violations}, the alert its fold's rule sends once per key (an IAM user's
     *                   calls per user and UTC day, a private table's data calls per source and hour), judged per key
     *                   ({@link AlertFold#judge}); NONE for most
     */
    record Kind(String slug, String file, List<String> names, String region, Setup setup, End end, int violations,
                boolean needsFix, int weight, String gone, String kept, boolean onResource, AlertFold fold) {
        Kind(String slug, String file, List<String> names, String region, Setup setup, End end, int violations,
             boolean needsFix, int weight, String gone, String kept, boolean onResource) {
            this(slug, file, names, region, setup, end, violations, needsFix, weight, gone, kept, onResource, AlertFold.NONE);
        }

        Kind(String slug, String file, List<String> names, String region, Setup setup, End end, int violations,
             boolean needsFix, int weight, String gone, String kept) {
            this(slug, file, names, region, setup, end, violations, needsFix, weight, gone, kept, false);
        }

        Kind(String slug, String file, List<String> names, Setup setup, End end, int violations, boolean needsFix, int weight) {
            this(slug, file, names, LocalAws.REGION, setup, end, violations, needsFix, weight, "", "", false);
        }

        /** A kind whose alerts name a resource rather than its table. */
        static Kind onResource(String slug, String file, int violations, int weight) {
            return onResource(slug, file, List.of(), Setup.NONE, violations, weight);
        }

        /** A kind whose alerts name a resource, set up as {@code setup} says, its sample's {@code names} made its own. */
        static Kind onResource(String slug, String file, List<String> names, Setup setup, int violations, int weight) {
            return new Kind(slug, file, names, LocalAws.REGION, setup, End.ANY, violations, false, weight, "", "", true);
        }

        /**
         * An IAM user's DynamoDB call: the {@code violations} of the table's own rules, and the iam-users alert of its
         * user and day; its alerts are every alert with its event ID (the iam-users one names the user).
         */
        static Kind byIamUser(String slug, String file, List<String> names, Setup setup, End end, int violations,
                              boolean needsFix, int weight) {
            return new Kind(slug, file, names, LocalAws.REGION, setup, end, violations, needsFix, weight, "", "", true, AlertFold.USER_DAY);
        }

        /**
         * A data event on the tables its sample {@code names}, the first one of the private tables the data events
         * share, the others made private or open as {@link CorpusNetwork#rename} says: {@code outside} the endpoints,
         * one private-network alert per private table, source and UTC hour; else nothing.
         */
        static Kind dataEvent(String slug, String file, List<String> names, boolean outside, int weight) {
            return new Kind(slug, file, names, LocalAws.REGION, Setup.SHARED, End.PROTECTED, 0, false, weight, "", "",
                    false, outside ? AlertFold.SOURCE_HOUR : AlertFold.NONE);
        }
    }

    static final List<Kind> KINDS = List.of(
            new Kind("ctu", "create-table-unprotected.json", List.of("orders"), LocalAws.REGION, Setup.UNPROTECTED, End.PROTECTED, 1, true, 20, "", ""),
            new Kind("ctp", "create-table-protected.json", List.of("ledger-like"), LocalAws.REGION, Setup.PROTECTED, End.PROTECTED, 0, false, 10, "", ""),
            new Kind("ctr", "create-table-root.json", List.of("audit-log"), LocalAws.REGION, Setup.UNPROTECTED, End.PROTECTED, 1, true, 4, "", ""),
            new Kind("cta", "create-table-by-arn.json", List.of("invoices"), LocalAws.REGION, Setup.UNPROTECTED, End.PROTECTED, 1, true, 4, "", ""),
            new Kind("uto", "update-table-protection-off.json", List.of("payments"), LocalAws.REGION, Setup.UNPROTECTED, End.PROTECTED, 1, true, 15, "", ""),
            new Kind("utn", "update-table-no-table-name.json", List.of("customers"), LocalAws.REGION, Setup.UNPROTECTED, End.PROTECTED, 1, true, 4, "", ""),
            new Kind("utr", "update-table-resources-only.json", List.of("sessions"), LocalAws.REGION, Setup.UNPROTECTED, End.PROTECTED, 1, true, 4, "", ""),
            new Kind("rpt", "restore-table-to-point-in-time.json", List.of("orders-restored", "orders"), LocalAws.REGION, Setup.UNPROTECTED, End.PROTECTED, 1, true, 4, "", ""),
            new Kind("rfb", "restore-table-from-backup.json", List.of("payments-restored", "payments"), LocalAws.REGION, Setup.UNPROTECTED, End.PROTECTED, 1, true, 3, "", ""),
            new Kind("imp", "import-table.json", List.of("imported-orders"), LocalAws.REGION, Setup.UNPROTECTED, End.PROTECTED, 1, true, 3, "", ""),
            new Kind("dec", "update-table-approved-decommission.json", List.of("legacy-sessions"), LocalAws.REGION, Setup.UNPROTECTED, End.DECOMMISSIONED, 1, true, 3, "", ""),
            new Kind("del", "delete-table.json", List.of("payments"), LocalAws.REGION, Setup.NONE, End.GONE, 1, false, 3, "", ""),
            new Kind("syd", "create-table-forbidden-region.json", List.of("customer-copy"), SYDNEY, Setup.UNPROTECTED, End.QUARANTINED, 2, true, 4, "", ""),
            new Kind("pub", "put-resource-policy-public.json", List.of("shared-reports"), LocalAws.REGION, Setup.POLICY_WRITTEN, End.POLICY_CLEANED, 1, true, 8, "EveryoneRead", "ReportsReader"),
            new Kind("xac", "put-resource-policy-cross-account.json", List.of("partner-feed"), LocalAws.REGION, Setup.POLICY_WRITTEN, End.POLICY_CLEANED, 1, true, 6, "999988887777", FaultsWorld.TRUSTED_ACCOUNT),
            new Kind("org", "put-resource-policy-trusted-org.json", List.of("org-analytics"), LocalAws.REGION, Setup.POLICY_WRITTEN, End.POLICY_KEPT, 0, false, 3, "", FaultsWorld.TRUSTED_ORG),
            new Kind("exp", "export-untrusted-bucket.json", List.of("orders"), LocalAws.REGION, Setup.PROTECTED, End.PROTECTED, 1, false, 3, "", ""),
            new Kind("own", "export-own-bucket.json", List.of("orders"), LocalAws.REGION, Setup.PROTECTED, End.PROTECTED, 0, false, 1, "", ""),
            new Kind("ref", "put-resource-policy-refused.json", List.of("orders"), LocalAws.REGION, Setup.PROTECTED, End.PROTECTED, 1, false, 2, "", ""),
            new Kind("bil", "update-table-billing-mode.json", List.of("orders"), LocalAws.REGION, Setup.PROTECTED, End.PROTECTED, 0, false, 2, "", ""),
            new Kind("fai", "create-table-failed.json", List.of("orders"), LocalAws.REGION, Setup.NONE, End.ANY, 0, false, 1, "", ""),
            new Kind("oth", "create-table-other-account.json", List.of("foreign"), LocalAws.REGION, Setup.NONE, End.ANY, 0, false, 1, "", ""),
            new Kind("bkd", "backups-delete-backup.json", List.of("payments"), LocalAws.REGION, Setup.PROTECTED, End.PROTECTED, 1, false, 3, "", ""),
            // The rules of issue 16, each sample with what its rule's docs page (docs/<rule>.md) says it calls for.
            // ttl: TTL turned on over an undeclared attribute by a developer: turned off, HIGH. moto accepts the fix at
            // once (it does not model DynamoDB's hour of refusals, TtlPipelineTest does).
            new Kind("tte", "update-time-to-live-enabled.json", List.of("orders"), Setup.TTL_ON, End.TTL_OFF, 1, true, 6),
            // A ddb-warden:ttl tag written by an approved principal (confirmed by CloudTrail): the declaration
            // recorded, LOW; by anyone else: ignored, MEDIUM. Neither changes the table.
            new Kind("ttd", "tag-resource-ttl-declaration.json", List.of("sessions"), Setup.TAGGED, End.PROTECTED, 1, false, 2),
            new Kind("tth", "tag-resource-ttl-by-hand.json", List.of("orders"), Setup.TAGGED, End.PROTECTED, 1, false, 2),
            // table-key: a table's key disabled or scheduled for deletion: CancelKeyDeletion and EnableKey, CRITICAL
            // naming the table; by an approved principal: LOW, the key left as it is; a key that encrypts no table:
            // not the rule's business, nothing.
            new Kind("tkd", "table-key-disable-key.json", List.of(), Setup.KEY_DISABLED, End.KEY_ENABLED, 1, true, 5),
            new Kind("tks", "table-key-schedule-key-deletion.json", List.of(), Setup.KEY_PENDING_DELETION, End.KEY_ENABLED, 1, true, 4),
            new Kind("tka", "table-key-disable-key-approved.json", List.of(), Setup.KEY_DISABLED, End.KEY_DISABLED, 1, false, 2),
            // A key policy denying DynamoDB the key: CRITICAL, no fix (the policy is the key owner's to write back).
            new Kind("tkp", "table-key-put-key-policy-deny.json", List.of(), Setup.KEY_POLICY_WRITTEN, End.KEY_ENABLED, 1, false, 2),
            new Kind("tkn", "table-key-disable-key.json", List.of(), LocalAws.REGION, Setup.KEY_ALONE, End.ANY, 0, false, 2, "", "", true),
            // encryption: a table ddb-warden never saw moved off a customer managed key (to an AWS owned key, or to
            // another account's key): HIGH, and no fix, for no earlier key is known (it fails closed).
            new Kind("sso", "update-table-sse-aws-owned.json", List.of("payments"), Setup.KEY_AS_ASKED, End.PROTECTED, 1, false, 4),
            new Kind("ssx", "update-table-sse-other-account-key.json", List.of("payments"), Setup.KEY_AS_ASKED, End.PROTECTED, 1, false, 2),
            // egress: an export to a bucket outside AllowedRegions (S3 tells its region): HIGH; an import from a bucket
            // of an untrusted account: MEDIUM, beside the deletion-protection rule's fix of the new table; a copy job of a
            // table's backup to a vault outside AllowedRegions: HIGH. Streaming to Kinesis while TrustedStreams is
            // unset: every stream DynamoDB accepts is trusted, nothing.
            new Kind("eor", "export-outside-allowed-regions.json", List.of("orders"), Setup.PROTECTED, End.PROTECTED, 1, false, 3),
            new Kind("itu", "import-table-untrusted-bucket.json", List.of("vendor-catalog"), Setup.UNPROTECTED, End.PROTECTED, 2, true, 3),
            new Kind("cpy", "backup-start-copy-job.json", List.of("orders"), Setup.PROTECTED, End.PROTECTED, 1, false, 3),
            new Kind("kse", "enable-kinesis-streaming-destination.json", List.of("orders"), Setup.PROTECTED, End.PROTECTED, 0, false, 2),
            new Kind("ksu", "update-kinesis-streaming-destination.json", List.of("orders"), Setup.PROTECTED, End.PROTECTED, 0, false, 1),
            // backups: a recovery point of a table deleted by a principal: HIGH on the table; by AWS Backup's own
            // lifecycle: routine, nothing; an EBS snapshot: not ddb-warden's business. Vaults, locks, plans,
            // selections and advanced recovery points name no table: HIGH, failing closed.
            new Kind("brd", "backups-delete-recovery-point-dynamodb.json", List.of("orders"), Setup.PROTECTED, End.PROTECTED, 1, false, 2),
            new Kind("bab", "backups-delete-backup-by-aws-backup.json", List.of("orders"), Setup.PROTECTED, End.PROTECTED, 0, false, 2),
            Kind.onResource("bre", "backups-delete-recovery-point-ebs.json", 0, 1),
            Kind.onResource("bra", "backups-delete-recovery-point-advanced.json", 1, 1),
            Kind.onResource("brl", "backups-update-lifecycle.json", 1, 1),
            Kind.onResource("bvd", "backups-delete-vault.json", 1, 1),
            Kind.onResource("bvl", "backups-delete-vault-lock.json", 1, 1),
            Kind.onResource("bpd", "backups-delete-plan.json", 1, 1),
            Kind.onResource("bsd", "backups-delete-selection.json", 1, 1),
            // ttl: a table created protected by an approved principal with its ddb-warden:ttl tag: the declaration
            // recorded at creation, LOW, as for the tag written later (ttd); the table is left as it is.
            new Kind("ttc", "create-table-ttl-declaration.json", List.of("sessions"), Setup.TAGGED, End.PROTECTED, 1, false, 2),
            // tags: a table created with tags but unprotected; the faults world requires no tags and records no
            // creator, so deletion-protection's fix is all it calls for, as for ctu.
            new Kind("ctg", "create-table-tagged.json", List.of("reports"), Setup.UNPROTECTED, End.PROTECTED, 1, true, 2),
            // The rules of issue 17, each sample with what its docs page says it calls for (alerts only: none fixes).
            // guardrails (docs/guardrails.md): a shipped SCP detached: CRITICAL; another policy detached: nothing; a
            // shipped SCP updated with a statement removed: CRITICAL; its description alone: nothing; a shipped SCP
            // deleted, GuardrailPolicies naming no ID: it cannot be read any more, and each detachment was judged,
            // nothing; SCPs disabled on the root: CRITICAL with no read; tag policies disabled: nothing.
            Kind.onResource("grd", "guardrails-detach-policy.json", List.of(), Setup.SCP_DETACHED, 1, 2),
            Kind.onResource("gro", "guardrails-detach-policy.json", List.of(), Setup.OTHER_SCP_DETACHED, 0, 1),
            Kind.onResource("gru", "guardrails-update-policy.json", List.of(), Setup.SCP_UPDATED, 1, 1),
            Kind.onResource("grn", "guardrails-update-policy-description.json", List.of(), Setup.SCP_UPDATED, 0, 1),
            Kind.onResource("grx", "guardrails-delete-policy.json", List.of(), Setup.SCP_DELETED, 0, 1),
            Kind.onResource("grt", "guardrails-disable-policy-type.json", 1, 1),
            Kind.onResource("grg", "guardrails-disable-policy-type-tag.json", 0, 1),
            // dax (docs/dax.md): a cluster in plain text: HIGH (one alert on the cluster); encrypted with a read-only
            // role: nothing; encrypted, its role able to write: MEDIUM; a write policy put on a cluster's role: MEDIUM on
            // the role; a new default version that writes, of a policy attached to a cluster's role: MEDIUM on the policy.
            Kind.onResource("dxp", "dax-create-cluster-plaintext.json", List.of("orders-cache", "dax-orders"), Setup.DAX_PLAIN, 1, 2),
            Kind.onResource("dxe", "dax-create-cluster-encrypted.json", List.of("orders-cache", "dax-orders"), Setup.DAX_ENCRYPTED, 0, 1),
            Kind.onResource("dxw", "dax-create-cluster-encrypted.json", List.of("orders-cache", "dax-orders"), Setup.DAX_WRITER, 1, 1),
            Kind.onResource("dxr", "dax-put-role-policy.json", List.of("dax-orders"), Setup.DAX_ROLE_WRITTEN, 1, 1),
            Kind.onResource("dxv", "dax-create-policy-version.json", List.of("dax-orders-read"), Setup.DAX_POLICY_VERSIONED, 1, 1),
            Kind.onResource("dxd", "dax-set-default-policy-version.json", List.of("dax-orders-read"), Setup.DAX_POLICY_VERSIONED, 1, 1),
            // iam-users (docs/iam-users.md): the published-record CreateTable and DeleteTable by the IAM user Alice: the
            // deletion-protection rule's alert (and fix of the new table), and one MEDIUM per user and UTC day for all
            // her calls; a DynamoDB policy put on a group: MEDIUM; a user added to a group whose policy allows
            // DynamoDB: MEDIUM; an access key for a user whose own policy does: MEDIUM.
            Kind.byIamUser("iuc", "iam-users-create-table.json", List.of("orders"), Setup.UNPROTECTED, End.PROTECTED, 1, true, 3),
            Kind.byIamUser("iud", "iam-users-delete-table.json", List.of("payments"), Setup.NONE, End.GONE, 1, false, 2),
            Kind.onResource("iup", "iam-users-put-group-policy.json", List.of("order-writers"), Setup.IAM_GROUP_POLICY, 1, 1),
            Kind.onResource("iug", "iam-users-add-user-to-group.json", List.of("order-writers", "batch-loader"), Setup.IAM_USER_IN_GROUP, 1, 1),
            Kind.onResource("iuk", "iam-users-create-access-key.json", List.of("batch-loader"), Setup.IAM_USER_POLICY, 1, 1),
            // private-network (docs/private-network.md; CorpusNetwork): a table PrivateTables names created: the statement
            // added, LOW; the statement dropped by a PutResourcePolicy: put back keeping the owner's AppRead, HIGH; the
            // policy deleted: put back, HIGH; the ddb-warden:network tag set by an approved principal (confirmed by
            // CloudTrail): the statement added, LOW; by a developer: ignored, MEDIUM, the table left open. Single-item data
            // events on the shared private tables: from outside the endpoint, one HIGH per table, source and UTC hour;
            // through it, nothing. The batch, transaction and PartiQL ones alike, for each private table they name:
            // a BatchWriteItem or BatchExecuteStatement on a shared table and an open one (audit-log) alerts the shared
            // one; a TransactWriteItems on both shared tables alerts each, under the keys the single-item calls share;
            // an ExecuteStatement CloudTrail redacted whole names no table and calls for nothing.
            new Kind("pnc", "create-table-protected.json", List.of("ledger-like"), Setup.PROTECTED, End.PRIVATE, 1, true, 3),
            new Kind("pnp", "private-network-put-resource-policy.json", List.of("orders"), LocalAws.REGION, Setup.POLICY_WRITTEN,
                    End.PRIVATE, 1, true, 3, "", "AppRead"),
            new Kind("pnd", "private-network-delete-resource-policy.json", List.of("orders"), Setup.PROTECTED, End.PRIVATE, 1, true, 3),
            new Kind("ntt", "private-network-tag-resource.json", List.of("orders"), Setup.TAGGED, End.PRIVATE, 1, true, 2),
            new Kind("ntu", "private-network-tag-resource-by-hand.json", List.of("orders"), Setup.TAGGED, End.OPEN, 1, false, 2),
            Kind.dataEvent("pno", "private-network-data-get-item-outside.json", List.of("orders"), true, 4),
            Kind.dataEvent("pnq", "data-query.json", List.of("orders"), true, 2),
            Kind.dataEvent("pnw", "data-put-item.json", List.of("orders"), true, 2),
            Kind.dataEvent("pne", "private-network-data-get-item-endpoint.json", List.of("orders"), false, 2),
            Kind.dataEvent("pnb", "private-network-data-batch-write-item.json", List.of("orders", "audit-log"), true, 2),
            Kind.dataEvent("pnt", "private-network-data-transact-write-items.json", List.of("orders", "order-lines"), true, 2),
            Kind.dataEvent("pns", "private-network-data-execute-statement.json", List.of("orders"), true, 2),
            Kind.dataEvent("pnx", "private-network-data-batch-execute-statement.json", List.of("orders", "audit-log"), true, 2),
            Kind.dataEvent("pnu", "private-network-data-execute-statement-unreadable.json", List.of(), false, 1));

    /** One event of the corpus and the table it is about. */
    record Case(int index, Kind kind, String table, String region, String event) {
        String eventId() {
            return LambdaSim.eventId(event);
        }

        /** The same event, judged as about {@code other}, another table it names. */
        Case about(String other) {
            return new Case(index, kind, other, region, event);
        }
    }

    private Corpus() {
    }

    /**
     * {@code count} cases: each kind once as recorded (when {@code recorded}), then seeded variations of
     * the kinds accepted by {@code filter}, weighted as the kinds say.
     */
    static List<Case> generate(int count, long seed, boolean recorded, java.util.function.Predicate<Kind> filter)
            throws IOException {
        Random random = new Random(seed);
        List<Kind> kinds = KINDS.stream().filter(filter).toList();
        int totalWeight = kinds.stream().mapToInt(Kind::weight).sum();
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Kind kind;
            if (recorded && i < kinds.size()) {
                kind = kinds.get(i);
            } else {
                int pick = random.nextInt(totalWeight);
                int k = 0;
                while (pick >= kinds.get(k).weight()) {
                    pick -= kinds.get(k).weight();
                    k++;
                }
                kind = kinds.get(k);
            }
            // A kind that shares its sample with an earlier one is a variation even among the recorded: two events
            // with one ID would be one event to CloudTrail, the ledger and the oracle.
            boolean asRecorded = recorded && i < kinds.size() && kinds.stream().filter(k -> k.file().equals(kind.file()))
                    .findFirst().orElseThrow() == kind;
            cases.add(instance(i, kind, random, !asRecorded, seed));
        }
        return cases;
    }

    private static Case instance(int index, Kind kind, Random random, boolean vary, long seed) throws IOException {
        boolean shared = kind.setup() == Setup.SHARED;
        String table = shared ? CorpusNetwork.sharedTable(seed, index) : String.format("%s-%d-%05d", kind.slug(), Math.abs(seed % 1000), index);
        String text = Project.event(kind.file());
        for (int n = 0; n < kind.names().size(); n++) {
            String from = kind.names().get(n);
            text = shared ? CorpusNetwork.rename(text, from, CorpusNetwork.rename(table, index, n, from))
                    : rename(text, from, n == 0 ? table : table + "-src" + n);
        }
        ObjectNode event = (ObjectNode) JSON.readTree(text);
        if (vary) {
            event.put("id", new UUID(random.nextLong(), random.nextLong()).toString());
            ObjectNode detail = (ObjectNode) event.get("detail");
            detail.put("eventID", new UUID(random.nextLong(), random.nextLong()).toString());
            int second = random.nextInt(86_400 * 30);
            int host = 1 + random.nextInt(250);
            if (shared) {
                CorpusNetwork.crowd(detail, second, host);
            } else {
                detail.put("eventTime", Instant.parse("2024-05-14T09:00:00Z").plusSeconds(second).toString());
                detail.put("sourceIPAddress", "203.0.113." + host);
            }
            event.put("time", detail.path("eventTime").asText());
        }
        return new Case(index, kind, table, kind.region(), JSON.writeValueAsString(event));
    }

    /** Renames a table wherever the sample names it: as a value, or inside an ARN, a policy or a path. */
    static String rename(String text, String from, String to) {
        return Pattern.compile("(?<=[\"/])" + Pattern.quote(from) + "(?=[\"/\\\\])").matcher(text)
                .replaceAll(Matcher.quoteReplacement(to));
    }

    /** Lays out the case's table as the event left it; returns the event to deliver (a policy write records its revision). */
    static Case setUp(FaultsWorld world, Case c) throws Exception {
        LocalEstate estate = world.in(c.region());
        switch (c.kind().setup()) {
            case UNPROTECTED -> estate.createTable(c.table(), false);
            case PROTECTED -> estate.createTable(c.table(), true);
            case POLICY_WRITTEN -> {
                estate.createTable(c.table(), true);
                return new Case(c.index(), c.kind(), c.table(), c.region(), estate.replayPolicyWrite(c.event()));
            }
            case NONE -> {
                // the event is about a table that does not exist
            }
            case SHARED -> CorpusNetwork.setUp(estate, c);
            case TTL_ON -> {
                estate.createTable(c.table(), true);
                String attribute = parse(c.event()).path("detail").path("requestParameters").path("timeToLiveSpecification")
                        .path("attributeName").asText();
                estate.dynamo().updateTimeToLive(r -> r.tableName(c.table())
                        .timeToLiveSpecification(t -> t.enabled(true).attributeName(attribute)));
            }
            case KEY_AS_ASKED -> {
                String key = parse(c.event()).path("detail").path("requestParameters").path("sSESpecification")
                        .path("kMSMasterKeyId").asText("");
                if (key.isEmpty()) {
                    estate.createTable(c.table(), true);
                } else {
                    world.keys().createTable(c.table(), key, false);
                }
            }
            case TAGGED -> {
                estate.createTable(c.table(), true);
                List<software.amazon.awssdk.services.dynamodb.model.Tag> tags = new ArrayList<>();
                JsonNode request = parse(c.event()).path("detail").path("requestParameters");
                request.path("tags").forEach(t -> tags.add(software.amazon.awssdk.services.dynamodb.model.Tag.builder()
                        .key(t.path("key").asText()).value(t.path("value").asText()).build()));
                // A TagResource names the table's ARN; a CreateTable carries its tags with the table's name alone.
                String arn = request.hasNonNull("resourceArn") ? request.path("resourceArn").asText()
                        : estate.dynamo().describeTable(r -> r.tableName(c.table())).table().tableArn();
                estate.dynamo().tagResource(r -> r.resourceArn(arn).tags(tags));
            }
            case KEY_DISABLED, KEY_PENDING_DELETION, KEY_ALONE, KEY_POLICY_WRITTEN -> {
                LocalKeys keys = world.keys();
                String key = keys.createKey();
                if (c.kind().setup() != Setup.KEY_ALONE) {
                    keys.createTable(c.table(), key);
                }
                switch (c.kind().setup()) {
                    case KEY_PENDING_DELETION -> keys.scheduleDeletion(key);
                    case KEY_POLICY_WRITTEN -> {
                        String policy = parse(c.event()).path("detail").path("requestParameters").path("policy").asText();
                        keys.kms().putKeyPolicy(r -> r.keyId(key).policyName("default").policy(policy));
                    }
                    default -> keys.disable(key);
                }
                return new Case(c.index(), c.kind(), c.table(), c.region(), LocalKeys.event(c.event(), key));
            }
            default -> {
                return new Case(c.index(), c.kind(), c.table(), c.region(), CorpusAccess.setUp(world, c));
            }
        }
        return c;
    }

    /**
     * What a delivered case calls for once ddb-warden is done.
     *
     * @param alerts         alerts, one per violation still to answer
     * @param protectedAtEnd whether its table must end with deletion protection on
     */
    record Expectation(int alerts, boolean protectedAtEnd) {
    }

    /**
     * What a delivered case calls for, given the rules that alerted about it and what the handlers answered for its
     * event before any late redelivery (each invocation's results, as JSON arrays). A table created in a forbidden
     * region breaks two rules, and the order in which their runs reach it (a failed run retried a minute later, say)
     * decides what the deletion-protection run finds. One that finds the table already quarantined answers
     * SKIPPED_QUARANTINED, and rightly: the quarantine statement denies every DynamoDB action, DeleteTable and
     * UpdateTable among them, to everyone but ddb-warden, the security roles and service-linked roles, so no ordinary
     * principal can delete the table, and the security team that now has it chooses its fate (its steps turn
     * protection off before a deletion; docs/security-model.md: the deletion-protection rule leaves a quarantined
     * table alone). Its missing protection then calls for no alert and no fix of its own; the region guard's alert
     * is the one the table needs. A deletion-protection run that came first alerted and fixed, as on any table.
     */
    static Expectation expectation(Kind kind, Set<String> alertedRules, List<String> outcomes) throws IOException {
        boolean answeredByQuarantine = kind.end() == End.QUARANTINED && !alertedRules.contains(DELETION_PROTECTION)
                && answered(outcomes, DELETION_PROTECTION, "SKIPPED_QUARANTINED");
        return answeredByQuarantine ? new Expectation(kind.violations() - 1, false) : new Expectation(kind.violations(), true);
    }

    /**
     * The rules that alerted about a case, from the alerts' keys (rule, table or resource, event ID; {@link Tally#key}):
     * those about its table and event, or, for a kind whose alerts name a resource, every alert with its event ID.
     */
    static Set<String> alertedRules(Case c, Set<String> alertKeys) {
        String suffix = (c.kind().onResource() ? "" : ":table/" + c.table()) + " " + c.eventId();
        Set<String> rules = new java.util.TreeSet<>();
        alertKeys.stream().filter(k -> k.endsWith(suffix)).forEach(k -> rules.add(k.substring(0, k.indexOf(' '))));
        return rules;
    }

    private static boolean answered(List<String> outcomes, String rule, String action) throws IOException {
        for (String results : outcomes) {
            for (JsonNode result : JSON.readTree(results)) {
                if (rule.equals(result.path("rule").asText()) && action.equals(result.path("action").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Why the case's table is not as it must be, or empty when it is. */
    static Optional<String> wrongEnd(FaultsWorld world, Case c) {
        return wrongEnd(world, c, true);
    }

    /**
     * Why the case's table is not as it must be, or empty when it is.
     *
     * @param protectedAtEnd for a quarantined table: whether it must be protected too ({@link #expectation})
     */
    static Optional<String> wrongEnd(FaultsWorld world, Case c, boolean protectedAtEnd) {
        LocalEstate estate = world.in(c.region());
        String name = c.kind().slug() + " " + c.table() + ": ";
        try {
            switch (c.kind().end()) {
                case PROTECTED -> {
                    return protection(estate, c.table(), true).map(s -> name + s);
                }
                case DECOMMISSIONED -> {
                    TableDescription table = estate.describe(c.table());
                    if (Boolean.TRUE.equals(table.deletionProtectionEnabled()) || !estate.tags(c.table()).containsKey(Decommission.TAG_KEY)) {
                        return Optional.of(name + "not left unprotected with a decommission tag");
                    }
                    return Optional.empty();
                }
                case QUARANTINED -> {
                    Optional<String> protection = protectedAtEnd ? protection(estate, c.table(), true) : Optional.empty();
                    if (protection.isPresent()) {
                        return protection.map(s -> name + s);
                    }
                    boolean tagged = estate.tags(c.table()).containsKey(QuarantineStatement.TAG_KEY);
                    boolean denied = estate.policy(c.table()).map(p -> p.contains(QuarantineStatement.SID)).orElse(false);
                    return tagged && denied ? Optional.empty() : Optional.of(name + "not quarantined (tag " + tagged + ", deny " + denied + ")");
                }
                case POLICY_CLEANED -> {
                    String policy = estate.policy(c.table()).orElse("");
                    if (policy.contains(c.kind().gone()) || !policy.contains(c.kind().kept())) {
                        return Optional.of(name + "policy still leaks or lost its legitimate statement: " + clip(policy));
                    }
                    return Optional.empty();
                }
                case POLICY_KEPT -> {
                    String policy = estate.policy(c.table()).orElse("");
                    return policy.contains(c.kind().kept()) ? Optional.empty() : Optional.of(name + "policy changed: " + clip(policy));
                }
                case GONE -> {
                    try {
                        estate.describe(c.table());
                        return Optional.of(name + "exists");
                    } catch (ResourceNotFoundException expected) {
                        return Optional.empty();
                    }
                }
                case TTL_OFF -> {
                    String ttl = estate.dynamo().describeTimeToLive(r -> r.tableName(c.table())).timeToLiveDescription()
                            .timeToLiveStatusAsString();
                    boolean off = "DISABLED".equals(ttl) || "DISABLING".equals(ttl);
                    return protection(estate, c.table(), true).or(() -> off ? Optional.empty() : Optional.of("TTL " + ttl))
                            .map(s -> name + s);
                }
                case PRIVATE, OPEN -> {
                    return protection(estate, c.table(), true).or(() -> CorpusNetwork.wrongPolicy(estate, c)).map(s -> name + s);
                }
                case KEY_ENABLED, KEY_DISABLED -> {
                    String wanted = c.kind().end() == End.KEY_ENABLED ? "Enabled" : "Disabled";
                    String key = estate.describe(c.table()).sseDescription().kmsMasterKeyArn();
                    String state = world.keys().keyState(key);
                    return protection(estate, c.table(), true).or(() -> wanted.equals(state) ? Optional.empty()
                            : Optional.of("its key " + state + ", not " + wanted)).map(s -> name + s);
                }
                default -> {
                    return Optional.empty();
                }
            }
        } catch (ResourceNotFoundException e) {
            return Optional.of(name + "missing");
        }
    }

    private static Optional<String> protection(LocalEstate estate, String table, boolean wanted) {
        boolean on = Boolean.TRUE.equals(estate.describe(table).deletionProtectionEnabled());
        return on == wanted ? Optional.empty() : Optional.of("deletion protection " + (on ? "on" : "off"));
    }

    private static String clip(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** The kinds whose table ddb-warden must change. */
    static final java.util.function.Predicate<Kind> NEEDS_FIX = Kind::needsFix;

    static Set<String> functionsFor(FaultsWorld world, String event) {
        try {
            return world.routes.functionsFor(event);
        } catch (Exception e) {
            return Set.of();
        }
    }

    static JsonNode parse(String event) throws IOException {
        return JSON.readTree(event);
    }
}
