package dev.ddbwarden.policy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

import static dev.ddbwarden.policy.PolicyAnalyzerCasesTest.TRUST;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Removing the leaking statements of any policy leaves one that leaks nothing and grants no more.
 *
 * <p>Each property tries its {@link PolicyGenerator} edge cases first, then random samples from a fixed
 * seed. A failure names the property, the try, the seed and the sample; to replay it, or to explore other
 * samples, run with {@code -Dddbwarden.propertySeed=<seed>}.
 */
class PolicyAnalyzerPropertiesTest {
    static final String SEED_PROPERTY = "ddbwarden.propertySeed";

    @Test
    void withoutLeaks_shouldLeaveNoLeak() {
        forAll("withoutLeaks_shouldLeaveNoLeak", 2000, 0x5EED_0001L,
                PolicyGenerator.edgeCasePolicies(), PolicyGenerator::policy, policy -> {
                    PolicyAnalysis analysis = PolicyAnalyzer.analyze(policy, TRUST);

                    Optional<String> rewritten = PolicyAnalyzer.withoutLeaks(policy, analysis);

                    assertThat(analysis.invalid()).isEmpty();
                    rewritten.ifPresent(p -> assertThat(PolicyAnalyzer.analyze(p, TRUST).leaking()).as(p).isEmpty());
                    assertThat(rewritten.isEmpty()).as("no policy is left exactly when every statement leaks")
                            .isEqualTo(analysis.statements().stream().allMatch(s -> s.exposure() != Exposure.NONE));
                });
    }

    @Test
    void withoutLeaks_shouldKeepEveryHarmlessStatementVerbatim_andAddNothing() {
        forAll("withoutLeaks_shouldKeepEveryHarmlessStatementVerbatim_andAddNothing", 2000, 0x5EED_0002L,
                PolicyGenerator.edgeCasePolicies(), PolicyGenerator::policy, policy -> {
                    PolicyAnalysis analysis = PolicyAnalyzer.analyze(policy, TRUST);

                    Optional<String> rewritten = PolicyAnalyzer.withoutLeaks(policy, analysis);

                    List<String> harmless = analysis.statements().stream()
                            .filter(s -> s.exposure() == Exposure.NONE).map(StatementVerdict::statementJson).toList();
                    List<String> kept = rewritten.map(p -> PolicyAnalyzer.analyze(p, TRUST).statements())
                            .orElse(List.of()).stream().map(StatementVerdict::statementJson).toList();
                    List<String> original = analysis.statements().stream()
                            .map(StatementVerdict::statementJson).toList();
                    assertThat(kept).as("kept statements").containsExactlyElementsOf(harmless);
                    if (!kept.isEmpty()) {
                        assertThat(original).as("original statements").containsSubsequence(kept);
                    }
                    rewritten.ifPresent(p -> assertThat(p).as("the rest of the policy")
                            .startsWith(policy.substring(0, policy.indexOf("\"Statement\""))));
                });
    }

    /** A policy cut short at {@code cut % (length + 1)}, and one with {@code inserted} put there. */
    record Damage(String policy, int cut, char inserted) {
        @Override
        public String toString() {
            return "cut " + cut + " (at " + cut % (policy.length() + 1) + "), inserted '"
                    + visible(String.valueOf(inserted)) + "', policy:\n" + policy;
        }
    }

    @Test
    void analyze_shouldNeverThrow_onDamagedPolicies() {
        List<Damage> edgeCases = new ArrayList<>();
        List<String> policies = PolicyGenerator.edgeCasePolicies();
        for (String policy : List.of(policies.get(0), policies.get(policies.size() / 2))) {
            int statement = policy.indexOf("\"Statement\"");
            for (int cut : new int[] {0, 1, statement, statement + 12, policy.length() - 1, policy.length(), 10_000}) {
                PolicyGenerator.edgeCaseChars().forEach(c -> edgeCases.add(new Damage(policy, cut, c)));
            }
        }
        forAll("analyze_shouldNeverThrow_onDamagedPolicies", 1000, 0x5EED_0003L, edgeCases,
                random -> new Damage(PolicyGenerator.policy(random), random.nextInt(10_001),
                        PolicyGenerator.hostileChar(random)), damage -> {
                    String policy = damage.policy();
                    int at = damage.cut() % (policy.length() + 1);
                    String truncated = policy.substring(0, at);
                    String spliced = policy.substring(0, at) + damage.inserted() + policy.substring(at);

                    assertThat(PolicyAnalyzer.analyze(truncated, TRUST)).isNotNull();
                    PolicyAnalysis analysis = PolicyAnalyzer.analyze(spliced, TRUST);
                    assertThat(PolicyAnalyzer.withoutLeaks(spliced, analysis)).isNotNull();
                });
    }

    @Test
    void analyze_shouldNeverThrow_onAnyText() {
        forAll("analyze_shouldNeverThrow_onAnyText", 1000, 0x5EED_0004L,
                PolicyGenerator.edgeCaseTexts(), PolicyGenerator::hostileText,
                text -> assertThat(PolicyAnalyzer.analyze(text, TRUST).leaks()).isFalse());
    }

    /**
     * Runs {@code property} on the edge cases, then on samples drawn from one random, {@code tries} in
     * all; the first failure or exception stops it with everything needed to reproduce it.
     */
    private static <T> void forAll(String property, int tries, long defaultSeed, List<T> edgeCases,
                                   Function<SplittableRandom, T> generator, Consumer<T> check) {
        assertThat(edgeCases.size()).as("edge cases of %s", property).isLessThanOrEqualTo(tries);
        String configured = System.getProperty(SEED_PROPERTY);
        long seed = configured == null || configured.isBlank() ? defaultSeed : Long.parseLong(configured.trim());
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < tries; i++) {
            boolean edge = i < edgeCases.size();
            T sample = edge ? edgeCases.get(i) : generator.apply(random);
            try {
                check.accept(sample);
            } catch (AssertionError | RuntimeException | StackOverflowError e) {
                throw new AssertionError(String.format(
                        "%s failed on try %d of %d (%s) with seed %d%n"
                                + "  reproduce: mvn test -Dtest='%s#%s' -D%s=%d%n"
                                + "  generated: %s%n  failure: %s",
                        property, i + 1, tries, edge ? "edge case " + (i + 1) + " of " + edgeCases.size()
                                : "random", seed, PolicyAnalyzerPropertiesTest.class.getSimpleName(), property,
                        SEED_PROPERTY, seed, visible(String.valueOf(sample)), e), e);
            }
        }
    }

    /** The text with controls, surrogates and other invisible characters as \\uXXXX escapes. */
    static String visible(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            boolean plain = (c >= ' ' && c < 0x7f) || c == '\n'
                    || (c > 0x9f && !Character.isSurrogate(c) && Character.isDefined(c)
                    && Character.getType(c) != Character.FORMAT && c != 0x2028 && c != 0x2029 && c < 0xfff0);
            out.append(plain ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }
}
