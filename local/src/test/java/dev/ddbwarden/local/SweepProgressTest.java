package dev.ddbwarden.local;

import dev.ddbwarden.handler.SweepPage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What ./warden sweep shows while it runs (a bar on a terminal, else a line per page) and the CSV's cells. */
class SweepProgressTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void onATerminal_shouldRedrawOneBarInPlace() {
        SweepProgress progress = new SweepProgress(new PrintStream(err, true, StandardCharsets.UTF_8), true, 50);

        progress.started("s1", false, List.of("us-east-1", "eu-west-1"));
        progress.page(new SweepPage("us-east-1", Optional.of("t-25"), Map.of("seen", 25, "fixed", 3, "findings", 4), List.of()));
        progress.page(new SweepPage("us-east-1", Optional.empty(), Map.of("seen", 15), List.of()));
        progress.finished(outcome());

        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("2 regions (us-east-1, eu-west-1), 50 tables")
                .contains("\r  [###############---------------] 25/50 tables  50%  findings 4  fixed 3  failed 0  regions 0/2  us-east-1 page 1")
                .contains("] 40/50 tables  80%")
                .contains("regions 1/2")
                .endsWith("\n");
        // Redrawn in place: one line after the header, however many pages.
        assertThat(text.split("\n")).hasSize(2);
    }

    @Test
    void elsewhere_shouldWriteOneLinePerPage() {
        SweepProgress progress = new SweepProgress(new PrintStream(err, true, StandardCharsets.UTF_8), false, 0);

        progress.started("s1", true, List.of("us-east-1"));
        progress.page(new SweepPage("us-east-1", Optional.of("t-25"), Map.of("seen", 25, "fixed", 3, "findings", 4), List.of()));
        progress.pageRetried("us-east-1", Optional.of("t-25"), new IllegalStateException("throttled"));
        progress.page(new SweepPage("us-east-1", Optional.empty(), Map.of("seen", 2, "failed", 1), List.of()));
        progress.finished(outcome());

        assertThat(err.toString(StandardCharsets.UTF_8).split("\n")).containsExactly(
                "sweep s1 (report only): 1 region (us-east-1)",
                "sweep: us-east-1 page 1: 25 tables (25 in us-east-1, 25 in all), 4 findings, 3 fixed, 0 failed; next after 't-25'",
                "sweep: us-east-1: a page after 't-25' failed (throttled); trying it again",
                "sweep: us-east-1 page 2: 2 tables (27 in us-east-1, 27 in all), 0 findings, 0 fixed, 1 failed; region done (1 of 1)");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
    }

    @Test
    void csv_shouldQuoteOnlyWhatNeedsIt() throws Exception {
        assertThat(SweepReport.cell("orders")).isEqualTo("orders");
        assertThat(SweepReport.cell("claimed elsewhere")).isEqualTo("claimed elsewhere");
        assertThat(SweepReport.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(SweepReport.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(SweepReport.cell("-dash.table")).isEqualTo("-dash.table");

        StringWriter csv = new StringWriter();
        SweepReport.csv(outcome(), csv);
        assertThat(csv.toString()).isEqualTo(String.join("\r\n",
                "kind,region,table,rule,severity,action,alert,count,arn",
                "table,eu-west-1,orders,deletion-protection,MEDIUM,FIXED,sent,,arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
                "total,eu-west-1,,deletion-protection,,FIXED,,1,",
                "total,,,,,seen,,1,", ""));
    }

    private static LocalSweep.Outcome outcome() {
        return new LocalSweep.Outcome("s1", false, "", List.of("eu-west-1"),
                List.of(new LocalSweep.Row("eu-west-1", "orders", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
                        "deletion-protection", "MEDIUM", "FIXED", "sent")),
                new java.util.TreeMap<>(Map.of("seen", 1, "deletion-protection:eu-west-1:FIXED", 1)), Map.of(), 1,
                Duration.ZERO, Duration.ZERO, Optional.empty(), List.of("123456789012"));
    }
}
