package dev.ddbwarden.bench;

import dev.ddbwarden.policy.PolicyAnalysis;
import dev.ddbwarden.policy.PolicyAnalyzer;
import dev.ddbwarden.policy.Trust;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Policies analysed per second: a typical two-statement policy, and one near DynamoDB's 20 KB limit
 * with a mix of trusted, untrusted, public and condition-limited statements.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PolicyAnalysisBenchmark {
    private static final Trust TRUST = new Trust("111122223333", Set.of("444455556666"), Set.of("o-trusted1234"));

    @Param({"2", "40"})
    public int statements;

    private String policy;
    private PolicyAnalysis analysis;

    @Setup
    public void setUp() {
        StringBuilder text = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < statements; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(statement(i));
        }
        policy = text.append("]}").toString();
        analysis = PolicyAnalyzer.analyze(policy, TRUST);
    }

    @Benchmark
    public PolicyAnalysis analyze() {
        return PolicyAnalyzer.analyze(policy, TRUST);
    }

    @Benchmark
    public Optional<String> analyzeAndRewrite() {
        return PolicyAnalyzer.withoutLeaks(policy, PolicyAnalyzer.analyze(policy, TRUST));
    }

    @Benchmark
    public Optional<String> rewriteOnly() {
        return PolicyAnalyzer.withoutLeaks(policy, analysis);
    }

    private static String statement(int i) {
        String resource = "\"Resource\":[\"arn:aws:dynamodb:us-east-1:111122223333:table/orders\","
                + "\"arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/*\"]";
        String actions = "\"Action\":[\"dynamodb:GetItem\",\"dynamodb:Query\",\"dynamodb:Scan\",\"dynamodb:BatchGetItem\"]";
        switch (i % 4) {
            case 0:
                return "{\"Sid\":\"Own" + i + "\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                        + "\"arn:aws:iam::111122223333:role/reader\"}," + actions + "," + resource + "}";
            case 1:
                return "{\"Sid\":\"Partner" + i + "\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                        + "[\"444455556666\",\"arn:aws:iam::999988887777:root\"]}," + actions + "," + resource + "}";
            case 2:
                return "{\"Sid\":\"Org" + i + "\",\"Effect\":\"Allow\",\"Principal\":\"*\"," + actions + "," + resource
                        + ",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-trusted1234\"},"
                        + "\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}}";
            default:
                return "{\"Sid\":\"Deny" + i + "\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"dynamodb:DeleteTable\","
                        + resource + "}";
        }
    }
}
