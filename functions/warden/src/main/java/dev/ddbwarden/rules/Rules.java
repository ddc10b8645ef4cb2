package dev.ddbwarden.rules;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.rules.backups.BackupsRule;
import dev.ddbwarden.rules.dax.DaxRule;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.rules.egress.EgressRule;
import dev.ddbwarden.rules.encryption.EncryptionRule;
import dev.ddbwarden.rules.guardrails.GuardrailsRule;
import dev.ddbwarden.rules.iamusers.IamUsersRule;
import dev.ddbwarden.rules.privatenetwork.PrivateNetworkRule;
import dev.ddbwarden.rules.pointintimerecovery.PointInTimeRecoveryRule;
import dev.ddbwarden.rules.publicaccess.PublicAccessRule;
import dev.ddbwarden.rules.regionguard.RegionGuardRule;
import dev.ddbwarden.rules.tablekey.TableKeyRule;
import dev.ddbwarden.rules.tags.TagsRule;
import dev.ddbwarden.rules.ttl.TtlRule;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Every rule ddb-warden enforces, registered in this one place: the sweep, priming and the template tests read it. */
public final class Rules {
    private static final List<Rule> ALL = List.of(new DeletionProtectionRule(), new PublicAccessRule(), new RegionGuardRule(),
            new PointInTimeRecoveryRule(), new TtlRule(), new BackupsRule(), new TableKeyRule(), new EncryptionRule(),
            new EgressRule(), new TagsRule(), new GuardrailsRule(), new DaxRule(), new IamUsersRule(),
            new PrivateNetworkRule());

    private Rules() {
    }

    public static List<Rule> all() {
        return ALL;
    }

    /** The names of every setting a registered rule declares. */
    public static Set<String> settingNames() {
        return ALL.stream().flatMap(rule -> rule.settings().stream()).map(RuleSetting::name).collect(Collectors.toUnmodifiableSet());
    }

    /** Parses every registered rule's settings: a value one refuses throws, as any invalid setting does. */
    public static void requireSettings(Settings settings) {
        ALL.forEach(rule -> rule.settings().forEach(setting -> setting.in(settings)));
    }

    public static Optional<Rule> byName(String name) {
        return ALL.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
