package dev.ddbwarden.policy;

import java.util.Objects;
import java.util.Set;

/** Who the business trusts: the table's own account, TRUSTED_ACCOUNTS and TRUSTED_ORG_IDS. */
public record Trust(String ownAccount, Set<String> trustedAccounts, Set<String> trustedOrgIds) {

    public Trust {
        Objects.requireNonNull(ownAccount, "ownAccount");
        trustedAccounts = Set.copyOf(trustedAccounts);
        trustedOrgIds = Set.copyOf(trustedOrgIds);
    }

    public boolean trustsAccount(String account) {
        return ownAccount.equals(account) || trustedAccounts.contains(account);
    }

    public boolean trustsOrg(String orgId) {
        return trustedOrgIds.contains(orgId);
    }
}
