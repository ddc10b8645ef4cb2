package dev.ddbwarden.config;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The credentials ddb-warden acts with in an account: its own (the SDK's default chain) in the account it runs in,
 * and in a member account of the Organization the member role {@code MEMBER_ROLE_NAME} (under the path
 * {@code /ddb-warden/}), assumed through STS and kept per account, the SDK's provider renewing it before it expires.
 * With {@code MEMBER_ROLE_NAME} empty ddb-warden guards one account, and asking for another is refused: an event
 * naming another account is then skipped, never acted on with the wrong account's credentials. After a SnapStart
 * restore the member sessions are dropped, so none outlives the snapshot it was taken in.
 */
public final class AccountAccess implements Resource {
    /** The environment variable naming the member role (template parameter MemberRoleName). */
    public static final String MEMBER_ROLE_NAME = "MEMBER_ROLE_NAME";
    static final String MEMBER_ROLE_PATH = "/ddb-warden/";
    static final String SESSION_NAME = "ddb-warden";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

    private final String memberRoleName;
    private final String partition;
    private final Supplier<String> homeAccount;
    private final AwsCredentialsProvider own;
    private final Function<String, AwsCredentialsProvider> assume;
    private final Map<String, AwsCredentialsProvider> members = new ConcurrentHashMap<>();

    /**
     * @param memberRoleName the member role's name, or empty for one account
     * @param homeAccount    the account the function runs in (asked of STS once, when first needed)
     * @param assume         credentials that assume the given role ARN, renewing themselves
     */
    AccountAccess(String memberRoleName, String partition, Supplier<String> homeAccount, AwsCredentialsProvider own,
                  Function<String, AwsCredentialsProvider> assume) {
        if (!memberRoleName.isEmpty() && !ROLE_NAME.matcher(memberRoleName).matches()) {
            throw new ConfigException(MEMBER_ROLE_NAME, "'" + memberRoleName + "' is not an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-)");
        }
        this.memberRoleName = memberRoleName;
        this.partition = partition;
        this.homeAccount = Lazy.of(homeAccount);
        this.own = own;
        this.assume = assume;
    }

    private static final class Holder {
        static final AccountAccess INSTANCE = fromEnvironment();
    }

    /** The container's one instance, from MEMBER_ROLE_NAME and the SDK's chain, built on first use. */
    public static AccountAccess instance() {
        return Holder.INSTANCE;
    }

    private static AccountAccess fromEnvironment() {
        String role = Objects.requireNonNullElse(System.getenv(MEMBER_ROLE_NAME), "").strip();
        Supplier<StsClient> sts = Lazy.of(() -> Clients.standard(StsClient.builder()).build());
        String partition = partitionOf(sts.get().serviceClientConfiguration().region());
        AccountAccess access = new AccountAccess(role, partition, () -> sts.get().getCallerIdentity().account(),
                DefaultCredentialsProvider.builder().build(),
                roleArn -> StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(sts.get())
                        .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(SESSION_NAME))
                        .build());
        Core.getGlobalContext().register(access);
        return access;
    }

    static String partitionOf(Region region) {
        return region.metadata() == null ? "aws" : region.metadata().partition().id();
    }

    /** Whether ddb-warden may act in {@code accountId}: its own always; another only with a member role set. */
    public boolean mayActIn(String accountId) {
        return ACCOUNT.matcher(accountId).matches() && (isHome(accountId) || !memberRoleName.isEmpty());
    }

    /** Whether {@code accountId} is the account the function runs in. */
    public boolean isHome(String accountId) {
        return homeAccount.get().equals(accountId);
    }

    /**
     * Whether ddb-warden acts in {@code accountId} with the function's own credentials: always with no member role
     * (then STS is never asked whose account this is), else in its own account only.
     */
    public boolean actsAsItself(String accountId) {
        return memberRoleName.isEmpty() || isHome(accountId);
    }

    /** The account the function runs in. */
    public String homeAccount() {
        return homeAccount.get();
    }

    /** The member role ddb-warden assumes in {@code accountId}. */
    public String memberRoleArn(String accountId) {
        return "arn:" + partition + ":iam::" + accountId + ":role" + MEMBER_ROLE_PATH + memberRoleName;
    }

    /**
     * The credentials to act with in {@code accountId}: with no member role, always the function's own (whether an
     * event's account is this one is {@link #mayActIn}'s question, asked before acting).
     *
     * @throws AccountRefused when ddb-warden may not act there ({@link #mayActIn})
     */
    public AwsCredentialsProvider credentials(String accountId) {
        if (memberRoleName.isEmpty()) {
            return own;
        }
        if (!mayActIn(accountId)) {
            throw new AccountRefused(accountId, "not a 12-digit account ID");
        }
        if (isHome(accountId)) {
            return own;
        }
        return members.computeIfAbsent(accountId, account -> assume.apply(memberRoleArn(account)));
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        members.clear();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        members.clear();
    }

    /** ddb-warden may not act in an account: the event naming it is skipped, with this reason logged. */
    public static final class AccountRefused extends RuntimeException {
        public AccountRefused(String accountId, String reason) {
            super("ddb-warden does not act in account " + accountId + ": " + reason);
        }
    }
}
