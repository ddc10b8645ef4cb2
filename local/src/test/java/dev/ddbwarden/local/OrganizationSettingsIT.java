package dev.ddbwarden.local;

import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.OrganizationParents;
import dev.ddbwarden.config.OuPaths;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.config.SettingsSource;
import dev.ddbwarden.rules.Rules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings per OU against moto_server's AWS Organizations (5.2.1 models organizations, OUs, CreateAccount, MoveAccount
 * and ListParents): ddb-warden's own ListParents client walks an account up to the root, and the settings source
 * gives the account the nearest OU's override; an account AWS Organizations does not know gets the strictest.
 */
class OrganizationSettingsIT {
    private final MotoServer moto = SharedMoto.fresh();
    private final LocalOrganizations organizations = new LocalOrganizations(moto.endpoint());

    @AfterEach
    void close() {
        organizations.close();
    }

    @Test
    void anAccountInANestedOu_shouldRunWithTheNearestOusSettings_andAnUnknownOneWithTheStrictest() {
        // GIVEN root > workloads > regulated > member, and a sibling account left under the root
        String root = organizations.root();
        String workloads = organizations.createOu("workloads", root);
        String regulated = organizations.createOu("regulated", workloads);
        String member = organizations.createAccount("member");
        String other = organizations.createAccount("other");
        organizations.move(member, root, regulated);
        OuPaths paths = new OuPaths(OrganizationParents.standard(LocalAws.REGION), Clock.systemUTC());

        // WHEN / THEN the walk, nearest first
        assertThat(paths.apply(member)).contains(List.of(regulated, workloads));
        assertThat(paths.apply(other)).contains(List.of());

        // AND the settings: workloads notifies deletion protection, regulated narrows the regions
        Map<String, String> environment = Map.of(EnvVar.ALLOWED_REGIONS, LocalAws.REGION + ",eu-west-1",
                EnvVar.SETTINGS_OVERRIDES, "[" + workloads + "] RULE_MODES=deletion-protection=notify; ALLOWED_REGIONS="
                        + LocalAws.REGION + ",eu-west-1 [" + regulated + "] ALLOWED_REGIONS=" + LocalAws.REGION);
        SettingsSource source = SettingsSource.of(environment::get, () -> SsmClient.builder().build(), Clock.systemUTC(),
                () -> { }, Rules.settingNames(), paths);
        Settings inRegulated = source.forAccount(member);
        Settings atRoot = source.forAccount(other);
        Settings unknown = source.forAccount("999999999999");

        assertThat(inRegulated.allowedRegions()).containsExactly(LocalAws.REGION);
        assertThat(inRegulated.modeOf("deletion-protection").remediates()).isFalse();
        assertThat(atRoot.allowedRegions()).containsExactly(LocalAws.REGION, "eu-west-1");
        assertThat(atRoot.modeOf("deletion-protection").remediates()).isTrue();
        // moto refuses ListParents of an account it does not know: the strictest of the default and both OUs
        assertThat(unknown.allowedRegions()).containsExactly(LocalAws.REGION);
        assertThat(unknown.modeOf("deletion-protection").remediates()).isTrue();
    }
}
