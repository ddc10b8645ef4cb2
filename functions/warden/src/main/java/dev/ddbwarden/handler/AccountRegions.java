package dev.ddbwarden.handler;

import dev.ddbwarden.config.PerAccount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The regions the sweep walks in one account: the sweep's regions that the account itself has enabled, as EC2
 * DescribeRegions (without AllRegions) answers with that account's credentials, so a member that has not enabled an
 * opt-in region the security account has is not swept (and failed) there. A list the operator configured
 * (SweepRegions, --regions) is walked as it is. When the account cannot be asked, or names none of them, the sweep's
 * list is walked unchanged: an unreadable answer sweeps more, never less, and a region the account cannot be read in
 * is then counted as a failed region, as before.
 */
public final class AccountRegions {
    private static final Logger LOG = LoggerFactory.getLogger(AccountRegions.class);

    private final Function<String, Set<String>> enabledIn;

    /**
     * @param enabledIn the regions enabled in an account, by its ID; throws when the account cannot be asked
     */
    AccountRegions(Function<String, Set<String>> enabledIn) {
        this.enabledIn = enabledIn;
    }

    /** Asking EC2 in {@code region} with each account's credentials (the home account's own, a member's role). */
    public static AccountRegions standard(String region) {
        PerAccount<Ec2Regions> clients = PerAccount.of(credentials -> Ec2Regions.standard(region, credentials));
        return new AccountRegions(account -> clients.apply(account).enabled());
    }

    /**
     * The regions of {@code sweep} to walk in {@code account}, in the sweep's order.
     *
     * @param configured whether the operator named the sweep's regions: then they are walked as named, unasked
     */
    public List<String> of(String account, List<String> sweep, boolean configured) {
        if (configured) {
            return sweep;
        }
        Set<String> enabled;
        try {
            enabled = enabledIn.apply(account);
        } catch (RuntimeException e) {
            LOG.warn("account {}: EC2 DescribeRegions failed ({}); walking the sweep's {} region(s)", account, e.getMessage(), sweep.size());
            return sweep;
        }
        return walk(account, sweep, enabled);
    }

    /** The sweep's regions the account has enabled; all of them when it names none (an answer to distrust). */
    static List<String> walk(String account, List<String> sweep, Set<String> enabled) {
        List<String> walked = sweep.stream().filter(enabled::contains).toList();
        if (walked.isEmpty()) {
            LOG.warn("account {}: EC2 DescribeRegions named none of the sweep's {} region(s); walking them all", account, sweep.size());
            return sweep;
        }
        if (walked.size() < sweep.size()) {
            LOG.info("account {}: not enabled there, not swept: {}", account,
                    sweep.stream().filter(region -> !enabled.contains(region)).toList());
        }
        return walked;
    }
}
