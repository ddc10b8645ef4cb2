package dev.ddbwarden.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** How every bench shows its result table: after a blank line on the terminal, and fenced in its output file. */
final class BenchTable {
    private BenchTable() {
    }

    /** @param outFile where bench/RESULTS.md copies it from, or null for the terminal only */
    static void show(PrintStream out, String table, Path outFile) throws IOException {
        out.println();
        out.print(table);
        out.flush();
        if (outFile != null) {
            Files.createDirectories(outFile.toAbsolutePath().getParent());
            Files.writeString(outFile, "```\n" + table + "```\n", StandardCharsets.UTF_8);
        }
    }
}
