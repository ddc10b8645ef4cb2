package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scp/README.md documents the longest value of every placeholder the shipped SCPs use, which ScpRenderIT renders
 * them with to hold them to AWS Organizations' size limit.
 */
class ScpRenderTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z_]+)}}");

    @Test
    void readme_shouldDocumentTheLongestValuesOfEveryPlaceholderThePoliciesUse() throws Exception {
        Set<String> used = new TreeSet<>();
        for (Path file : ScpAndForwarderTest.scpFiles()) {
            Matcher placeholder = PLACEHOLDER.matcher(Files.readString(file));
            while (placeholder.find()) {
                used.add(placeholder.group(1));
            }
        }
        Map<String, List<String>> documented = RenderedScps.longestDocumented();

        assertThat(used).hasSizeGreaterThanOrEqualTo(5);
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(used);
        assertThat(documented).allSatisfy((name, values) -> assertThat(values).as(name).isNotEmpty());
        assertThat(documented.get("SECURITY_ROLES")).as("the SSO permission-set pattern README advises")
                .anyMatch(role -> role.contains("AWSReservedSSO_"));
    }
}
