package dev.ddbwarden.rules.publicaccess;

import dev.ddbwarden.policy.Exposure;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.policy.PolicyAnalysis;
import dev.ddbwarden.policy.PolicyAnalyzer;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.policy.StatementVerdict;
import dev.ddbwarden.policy.Trust;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.Json;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import dev.ddbwarden.policy.PolicyAnalyzer;
import dev.ddbwarden.policy.PolicyAnalysis;
import dev.ddbwarden.policy.StatementVerdict;
import dev.ddbwarden.policy.Exposure;
import dev.ddbwarden.policy.Trust;

/**
 * No table, index or stream is open to everyone or to an account or organization the business does
 * not trust. A leaking statement is taken back the moment the policy is written, keeping the rest; a
 * refused attempt to write one, and an export to an untrusted account's bucket (which cannot be taken
 * back), are reported.
 */
public final class PublicAccessRule implements Rule {
    public static final String RULE = "public-access";

    private static final String PUT_RESOURCE_POLICY = "PutResourcePolicy";
    private static final String EXPORT = "ExportTableToPointInTime";
    /** A PutResourcePolicy counts written or refused ({@link #readsFailedCalls()}). */
    private static final List<Trigger> TRIGGERS = List.of(Trigger.on(PUT_RESOURCE_POLICY),
            Trigger.on("CreateTable", "resourcePolicy"), Trigger.on(EXPORT, "s3BucketOwner"));
    /** ddb-warden's own roles live under this path; their refused writes are our own retries, not attempts. */
    private static final String WARDEN_ROLE_PATH = ":role/ddb-warden/";

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "PublicAccessFunction";
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    @Override
    public Set<String> tableActions() {
        return TableReader.actionsWith("dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy");
    }

    @Override
    public Class<PublicAccessRemedy> remedies() {
        return PublicAccessRemedy.class;
    }

    @Override
    public List<Fix<?>> fixes(FixContext context) {
        return List.<Fix<?>>of(new RemovePolicyStatementsFix(context.dynamo()));
    }

    @Override
    public List<Augment<?>> augments() {
        return List.of(ResourcePolicies.AUGMENT);
    }

    @Override
    public boolean readsFailedCalls() {
        return true;
    }

    /**
     * The policy read shows what the call wrote: the revision a PutResourcePolicy produced, or any policy
     * at all after a CreateTable that carried one (DynamoDB may not return it for a while).
     */
    @Override
    public boolean isCurrent(ApiCall call, TableState state) {
        if (call.failed()) {
            return true;
        }
        if (createsWithPolicy(call)) {
            return policies(state).table().isPresent();
        }
        String produced = Json.text(call.responseElements(), "revisionId");
        if (!PUT_RESOURCE_POLICY.equals(call.eventName()) || produced.isEmpty()) {
            return true;
        }
        return policies(state).of(call.request("resourceArn")).map(p -> p.revisionId().equals(produced)).orElse(false);
    }

    /** A policy CreateTable wrote but DynamoDB does not show yet would look compliant: wait for it instead. */
    @Override
    public boolean mayDecideOnStaleState(ApiCall call) {
        return !createsWithPolicy(call);
    }

    private static boolean createsWithPolicy(ApiCall call) {
        return "CreateTable".equals(call.eventName()) && !call.request("resourcePolicy").isEmpty();
    }

    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings,
                                  Instant now) {
        Trust trust = new Trust(table.accountId(), settings.trustedAccounts(), settings.trustedOrgIds());
        if (call.failed()) {
            return refusedAttempt(call, table, trust);
        }
        if (EXPORT.equals(call.eventName())) {
            return exportOutside(call, table, trust);
        }
        if (state.isEmpty()) {
            return List.of();
        }
        return leaks(table, state.get(), trust);
    }

    private static List<Finding> leaks(TableRef table, TableState state, Trust trust) {
        List<Remedy.PolicyCut> cuts = new ArrayList<>();
        List<StatementVerdict> removed = new ArrayList<>();
        Exposure worst = Exposure.NONE;
        ResourcePolicies read = policies(state);
        for (Optional<ResourcePolicy> policy : List.of(read.table(), read.stream())) {
            if (policy.isEmpty()) {
                continue;
            }
            PolicyAnalysis analysis = PolicyAnalyzer.analyze(policy.get().document(), trust);
            if (!analysis.leaks()) {
                continue;
            }
            List<StatementVerdict> leaking = analysis.leaking();
            cuts.add(new Remedy.PolicyCut(policy.get().resourceArn(), policy.get().revisionId(),
                    PolicyAnalyzer.withoutLeaks(policy.get().document(), analysis),
                    leaking.stream().map(StatementVerdict::statementJson).collect(Collectors.toList())));
            removed.addAll(leaking);
            worst = analysis.worst().compareTo(worst) > 0 ? analysis.worst() : worst;
        }
        if (cuts.isEmpty()) {
            return List.of();
        }
        Severity severity = worst == Exposure.PUBLIC ? Severity.CRITICAL : Severity.HIGH;
        String what = worst == Exposure.PUBLIC ? "open to everyone" : "open to an untrusted account";
        return List.of(new Finding(RULE, severity, table, "resource policy " + what,
                "The resource policy of table " + table.name() + " (or its stream) lets in principals outside "
                        + "this account and its trusted accounts and organizations. The statements taken back, "
                        + "verbatim, so that an owner who meant them can restore them:\n" + quote(removed),
                new PublicAccessRemedy.RemovePolicyStatements(cuts)));
    }

    private static ResourcePolicies policies(TableState state) {
        return state.augment(ResourcePolicies.class).orElse(ResourcePolicies.NONE);
    }

    private static List<Finding> refusedAttempt(ApiCall call, TableRef table, Trust trust) {
        if (!PUT_RESOURCE_POLICY.equals(call.eventName()) || isWardenRole(call, table)) {
            return List.of();
        }
        PolicyAnalysis analysis = PolicyAnalyzer.analyze(call.request("policy"), trust);
        boolean opening = analysis.leaks();
        String detail = "DynamoDB refused a PutResourcePolicy on " + Excerpt.line(call.request("resourceArn")) + " by "
                + call.actor().describe() + " (" + call.errorCode() + "). Nothing changed. "
                + (opening
                ? "The refused policy would have let in outside principals:\n" + quote(analysis.leaking())
                : "The refused policy would not have opened the table: "
                        + Excerpt.line(analysis.invalid().orElse("no statement leaks")) + ".");
        return List.of(new Finding(RULE, opening ? Severity.HIGH : Severity.MEDIUM, table,
                opening ? "refused attempt to open table" : "refused policy change", detail,
                new Remedy.AlertOnly("Ask " + Excerpt.line(call.actor().principalArn()) + " what the policy was for;"
                        + " someone tried to change who may read this table.")));
    }

    /** ddb-warden's own roles, in this account only (the SCPs in README keep others off the path). */
    private static boolean isWardenRole(ApiCall call, TableRef table) {
        return call.actor().principalArn().matches("arn:aws[a-z-]*:iam::" + table.accountId() + WARDEN_ROLE_PATH + ".*");
    }

    private static List<Finding> exportOutside(ApiCall call, TableRef table, Trust trust) {
        String owner = call.request("s3BucketOwner");
        if (owner.isEmpty() || trust.trustsAccount(owner)) {
            return List.of();
        }
        String bucket = Excerpt.line(call.request("s3Bucket"));
        String account = Excerpt.line(owner);
        return List.of(new Finding(RULE, Severity.HIGH, table, "export to an untrusted account",
                "Table " + table.name() + " is being exported to bucket " + bucket
                        + " owned by account " + account + ", which is neither this account nor a trusted one, by "
                        + call.actor().describe() + ". An export cannot be taken back.",
                new Remedy.AlertOnly("Find out whether the export was authorised; if not, ask the owner of account "
                        + account + " to delete s3://" + bucket + "/" + Excerpt.line(call.request("s3Prefix"))
                        + " and rotate anything the table held that must stay secret.")));
    }

    /** One block however many statements: a hostile policy may hold thousands. */
    private static String quote(List<StatementVerdict> statements) {
        return Excerpt.block(statements.stream()
                .map(s -> "  - " + s.reason() + ":\n    " + s.statementJson().strip())
                .collect(Collectors.joining("\n")));
    }
}
