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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The credentials ddb-warden acts with in an account: its own (the SDK's default chain) in the account it runs in,
 * and in a member account of the Organization the member role named by the setting {@code MEMBER_ROLE_NAME} (under
 * the path {@code /ddb-warden/}), assumed through STS and kept per account, the SDK's provider renewing it before it
 * expires. With {@code MEMBER_ROLE_NAME} empty ddb-warden guards one account, and asking for another is refused: an
 * event naming another account is then skipped, never acted on with the wrong account's credentials. After a
 * SnapStart restore the member sessions are dropped, so none outlives the snapshot it was taken in.
 *
 * <p>The name is a line of the settings parameter, read again with the other settings (a changed MemberRoleName
 * reaches the functions with the roles' new sts:AssumeRole grant, not with the next published version), so it is
 * asked of the container's settings at each use: {@link #readNameFrom} names them once per container.
 */
public final class AccountAccess implements Resource {
    static final String MEMBER_ROLE_PATH = "/ddb-warden/";
    static final String SESSION_NAME = "ddb-warden";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

    /** The account of the function's own ARN, once a handler has been invoked: whose account this is, without STS. */
    private static final AtomicReference<String> FUNCTION_ACCOUNT = new AtomicReference<>();

    /** The container's settings, once {@link #readNameFrom} has named them; until then, one account. */
    private static final AtomicReference<Supplier<Settings>> CONTAINER_SETTINGS = new AtomicReference<>();

    private final Supplier<String> memberRoleName;
    private final Supplier<String> partition;
    private final Supplier<String> homeAccount;
    private final Identity self;
    private final Function<String, AwsCredentialsProvider> assume;
    private final Map<String, Identity> members = new ConcurrentHashMap<>();

    /**
     * Who ddb-warden is in an account: the function itself, or one session of one member role. The clients and readers
     * of an account are kept by it ({@link AccountClients}, {@link PerAccount}), so every account ddb-warden acts in as
     * itself shares one, a renamed member role gets new ones, and a session dropped at a SnapStart restore is never
     * used again by a client built before it.
     *
     * @param name        {@code self}, or the member role's ARN
     * @param credentials what to sign with
     */
    public record Identity(String name, AwsCredentialsProvider credentials) {
        private static final String SELF = "self";

        /** Whether this is the function's own identity. */
        public boolean isSelf() {
            return SELF.equals(name);
        }
    }

    /**
     * @param memberRoleName the member role's name, or empty for one account
     * @param homeAccount    the account the function runs in (asked of STS once, when first needed)
     * @param assume         credentials that assume the given role ARN, renewing themselves
     */
    AccountAccess(String memberRoleName, String partition, Supplier<String> homeAccount, AwsCredentialsProvider own,
                  Function<String, AwsCredentialsProvider> assume) {
        this(() -> memberRoleName, () -> partition, homeAccount, own, assume);
        if (!memberRoleName.isEmpty() && !ROLE_NAME.matcher(memberRoleName).matches()) {
            throw new ConfigException(EnvVar.MEMBER_ROLE_NAME, "'" + memberRoleName + "' is not an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-)");
        }
    }

    /** @param memberRoleName the member role's name as the settings give it now (Settings validates its shape) */
    AccountAccess(Supplier<String> memberRoleName, String partition, Supplier<String> homeAccount, AwsCredentialsProvider own,
                  Function<String, AwsCredentialsProvider> assume) {
        this(memberRoleName, () -> partition, homeAccount, own, assume);
    }

    private AccountAccess(Supplier<String> memberRoleName, Supplier<String> partition, Supplier<String> homeAccount,
                          AwsCredentialsProvider own, Function<String, AwsCredentialsProvider> assume) {
        this.memberRoleName = memberRoleName;
        this.partition = Lazy.of(partition);
        this.homeAccount = Lazy.of(homeAccount);
        this.self = new Identity(Identity.SELF, own);
        this.assume = assume;
    }

    private static final class Holder {
        static final AccountAccess INSTANCE = fromEnvironment();
    }

    /** The container's one instance, from MEMBER_ROLE_NAME and the SDK's chain, built on first use. */
    public static AccountAccess instance() {
        return Holder.INSTANCE;
    }

    /**
     * Names the container's settings, from which the member role's name is read at each use. Services does this once,
     * when it reads them; a container that never names them acts in its own account only.
     */
    public static void readNameFrom(Supplier<Settings> settings) {
        CONTAINER_SETTINGS.set(settings);
    }

    /**
     * Names the account the function runs in, from the ARN Lambda invoked it by (no principal writes it): STS is then
     * never asked whose account this is, so a restored snapshot's first event from a member pays no GetCallerIdentity.
     * Anything but a 12-digit account ID is ignored, and STS answers as before.
     */
    public static void runsIn(String accountId) {
        if (ACCOUNT.matcher(accountId).matches()) {
            FUNCTION_ACCOUNT.set(accountId);
        }
    }

    /** The account {@link #runsIn} named, else {@code sts}'s answer. */
    static Supplier<String> functionAccountOr(Supplier<String> sts) {
        return () -> {
            String known = FUNCTION_ACCOUNT.get();
            return known != null ? known : sts.get();
        };
    }

    private static AccountAccess fromEnvironment() {
        Supplier<String> role = () -> {
            Supplier<Settings> settings = CONTAINER_SETTINGS.get();
            return settings == null ? "" : settings.get().memberRoleName();
        };
        // STS is built only when an account other than the function's own is first named: a one-account container,
        // or a read of its own account, never builds it.
        Supplier<StsClient> sts = Lazy.of(() -> Clients.standard(StsClient.builder()).build());
        AccountAccess access = new AccountAccess(role, () -> partitionOf(sts.get().serviceClientConfiguration().region()),
                functionAccountOr(() -> sts.get().getCallerIdentity().account()),
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
        return ACCOUNT.matcher(accountId).matches() && (!memberRoleName.get().isEmpty() || isHome(accountId));
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
        return memberRoleName.get().isEmpty() || isHome(accountId);
    }

    /** The account the function runs in. */
    public String homeAccount() {
        return homeAccount.get();
    }

    /** The member role ddb-warden assumes in {@code accountId}. */
    public String memberRoleArn(String accountId) {
        return memberRoleArn(accountId, memberRoleName.get());
    }

    private String memberRoleArn(String accountId, String roleName) {
        return "arn:" + partition.get() + ":iam::" + accountId + ":role" + MEMBER_ROLE_PATH + roleName;
    }

    /**
     * The credentials to act with in {@code accountId}: with no member role, always the function's own (whether an
     * event's account is this one is {@link #mayActIn}'s question, asked before acting).
     *
     * @throws AccountRefused when ddb-warden may not act there ({@link #mayActIn})
     */
    public AwsCredentialsProvider credentials(String accountId) {
        return identityIn(accountId).credentials();
    }

    /**
     * Who ddb-warden is in {@code accountId}: itself with no member role or at home, the member role's session
     * elsewhere. The one place that decides it; every kept client asks here.
     *
     * @throws AccountRefused when ddb-warden may not act there ({@link #mayActIn})
     */
    public Identity identityIn(String accountId) {
        String roleName = memberRoleName.get();
        if (roleName.isEmpty()) {
            return self;
        }
        if (!ACCOUNT.matcher(accountId).matches()) {
            throw new AccountRefused(accountId, "not a 12-digit account ID");
        }
        if (isHome(accountId)) {
            return self;
        }
        // Kept by the role's ARN: a renamed member role (a new MemberRoleName) is assumed afresh.
        return members.computeIfAbsent(memberRoleArn(accountId, roleName), arn -> new Identity(arn, assume.apply(arn)));
    }

    /** The function's own identity: for reads of the account it runs in, which name no account. */
    public Identity self() {
        return self;
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
