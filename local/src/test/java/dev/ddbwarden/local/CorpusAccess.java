package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.iam.IamClient;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The worlds of issue 17's alert-only rules for the fault scenarios' corpus: AWS Organizations' policies for the
 * guardrails rule, DAX clusters and their roles for the dax rule, IAM users and groups for the iam-users rule, each
 * made in moto_server as the case's event left it (as GuardrailsIT, DaxIT and IamUsersIT make them), under names of the
 * case's own. And the key an IAM user's DynamoDB calls are alerted under, once per user and UTC day
 * (docs/iam-users.md): that alert belongs to a day's calls, not to each ({@link AlertFold#USER_DAY}).
 */
final class CorpusAccess {
    /** The rule whose alert on an IAM user's calls folds per user and day. */
    static final String IAM_USERS = "iam-users";
    private static final String SHIPPED = "deny-delete-table.json";
    /** scp/README.md's name for the shipped policy (ddb-warden-deny-delete-table), made unique per case. */
    private static final String GUARDRAIL_NAME = "ddb-warden-deny-delete-table-";
    /** A policy of the organization's own, not ddb-warden's (GuardrailsIT's). */
    private static final String OTHER_SCP = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}]}";

    private CorpusAccess() {
    }

    /** Lays out the world a guardrails, dax or iam-users case's event left; returns the event to deliver. */
    static String setUp(FaultsWorld world, Corpus.Case c) throws IOException {
        JsonNode request = Corpus.parse(c.event()).path("detail").path("requestParameters");
        switch (c.kind().setup()) {
            case SCP_DETACHED, OTHER_SCP_DETACHED -> {
                boolean ours = c.kind().setup() == Corpus.Setup.SCP_DETACHED;
                String policy = world.organizations().createScp((ours ? GUARDRAIL_NAME : "deny-leaving-") + c.table(),
                        ours ? shipped() : OTHER_SCP);
                world.organizations().attach(policy, world.ou());
                world.organizations().detach(policy, world.ou());
                return inOrganization(world, c, policy);
            }
            case SCP_UPDATED -> {
                String policy = world.organizations().createScp(GUARDRAIL_NAME + c.table(), shipped());
                ObjectNode fields = Harness.JSON.createObjectNode();
                request.fieldNames().forEachRemaining(name -> {
                    if (!"policyId".equals(name)) {
                        fields.put(Character.toUpperCase(name.charAt(0)) + name.substring(1), request.path(name).asText());
                    }
                });
                world.organizations().update(policy, fields);
                return inOrganization(world, c, policy);
            }
            case SCP_DELETED -> {
                String policy = world.organizations().createScp(GUARDRAIL_NAME + c.table(), shipped());
                world.organizations().delete(policy);
                return inOrganization(world, c, policy);
            }
            case DAX_PLAIN, DAX_ENCRYPTED, DAX_WRITER -> {
                Corpus.Setup setup = c.kind().setup();
                String role = world.dax().createRole(roleName(request.path("iamRoleArn").asText()),
                        setup == Corpus.Setup.DAX_WRITER ? LocalDax.WRITES : LocalDax.READ_ONLY);
                boolean encrypted = setup != Corpus.Setup.DAX_PLAIN;
                world.dax().createCluster(c.region(), request.path("clusterName").asText(), encrypted, encrypted, role);
                return c.event();
            }
            case DAX_ROLE_WRITTEN -> {
                String role = request.path("roleName").asText();
                world.dax().createCluster(c.region(), c.table(), true, true, world.dax().createRole(role, LocalDax.READ_ONLY));
                world.dax().iam().putRolePolicy(r -> r.roleName(role).policyName(request.path("policyName").asText())
                        .policyDocument(request.path("policyDocument").asText()));
                return c.event();
            }
            case DAX_POLICY_VERSIONED -> {
                String role = c.table();
                world.dax().createCluster(c.region(), c.table(), true, true, world.dax().createRole(role, LocalDax.READ_ONLY));
                IamClient iam = world.dax().iam();
                String arn = request.path("policyArn").asText();
                String policy = iam.createPolicy(r -> r.policyName(arn.substring(arn.lastIndexOf('/') + 1))
                        .policyDocument(LocalDax.READ_ONLY)).policy().arn();
                iam.attachRolePolicy(r -> r.roleName(role).policyArn(policy));
                // CreatePolicyVersion carries the new document; SetDefaultPolicyVersion names a version made earlier.
                String document = request.has("policyDocument") ? request.path("policyDocument").asText() : LocalDax.WRITES;
                iam.createPolicyVersion(r -> r.policyArn(policy).policyDocument(document).setAsDefault(true));
                return c.event();
            }
            case IAM_GROUP_POLICY -> {
                IamClient iam = world.dax().iam();
                String group = request.path("groupName").asText();
                iam.createGroup(r -> r.groupName(group));
                iam.putGroupPolicy(r -> r.groupName(group).policyName(request.path("policyName").asText())
                        .policyDocument(request.path("policyDocument").asText()));
                return c.event();
            }
            case IAM_USER_IN_GROUP -> {
                IamClient iam = world.dax().iam();
                String group = request.path("groupName").asText();
                String user = request.path("userName").asText();
                String document = groupPolicy();
                iam.createGroup(r -> r.groupName(group));
                iam.putGroupPolicy(r -> r.groupName(group).policyName("orders-read-write").policyDocument(document));
                iam.createUser(r -> r.userName(user));
                iam.addUserToGroup(r -> r.groupName(group).userName(user));
                return c.event();
            }
            case IAM_USER_POLICY -> {
                IamClient iam = world.dax().iam();
                String user = request.path("userName").asText();
                String document = groupPolicy();
                iam.createUser(r -> r.userName(user));
                iam.putUserPolicy(r -> r.userName(user).policyName("orders-read-write").policyDocument(document));
                return c.event();
            }
            default -> throw new IllegalArgumentException(c.kind().setup() + " is not an access rule's setup");
        }
    }

    /** The guardrails sample with the case's policy and the world's OU and root in place of the sample's. */
    private static String inOrganization(FaultsWorld world, Corpus.Case c, String policy) {
        return LocalOrganizations.event(c.event(), policy, world.ou(), world.root());
    }

    private static String shipped() throws IOException {
        return Files.readString(Project.ROOT.resolve("scp").resolve(SHIPPED));
    }

    /** The DynamoDB policy the put-group-policy sample writes, which the grant samples' users and groups hold. */
    private static String groupPolicy() throws IOException {
        return Corpus.parse(Project.event("iam-users-put-group-policy.json")).path("detail").path("requestParameters")
                .path("policyDocument").asText();
    }

    private static String roleName(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    /** The user and UTC day an IAM user's call is alerted under ({@code arn day}), or empty for no IAM user's call. */
    static String userDay(Corpus.Case c) {
        try {
            JsonNode detail = Corpus.parse(c.event()).path("detail");
            if (!"IAMUser".equals(detail.path("userIdentity").path("type").asText())) {
                return "";
            }
            Instant time = Instant.parse(detail.path("eventTime").asText());
            return detail.path("userIdentity").path("arn").asText() + " " + time.atOffset(ZoneOffset.UTC).toLocalDate();
        } catch (IOException | java.time.DateTimeException e) {
            return "";
        }
    }
}
