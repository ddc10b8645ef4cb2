package dev.ddbwarden.local;

import java.nio.file.Path;
import java.util.List;

/**
 * How a JVM keeps a class-data archive ({@link ClassDataArchive}), in three steps either way: a training run
 * records what it loads, a second JVM of the same build, flags and classpath creates the archive from that
 * record, and later runs map it. Before JDK 25 a static AppCDS archive: the run lists its classes, with the
 * lambda proxies and LambdaForm holders it used (-XX:DumpLoadedClassList), -Xshare:dump archives them, and later
 * runs map that one file in place of the JDK's own archive. It starts the handler faster than a dynamic archive
 * (-XX:ArchiveClassesAtExit), which is mapped as a second layer on top of the JDK's (bench/cold-start). From
 * JDK 25 on an AOT cache (JEP 483/514/515: classes linked too, with their methods' profiles), which starts it
 * faster still.
 */
enum ArchiveFormat {
    APP_CDS(".jsa") {
        @Override
        List<String> record(Path recording) {
            return List.of("-XX:DumpLoadedClassList=" + recording);
        }

        @Override
        List<String> create(Path recording, Path archive) {
            return List.of("-Xshare:dump", "-XX:SharedClassListFile=" + recording, "-XX:SharedArchiveFile=" + archive);
        }

        @Override
        List<String> map(Path archive) {
            return List.of("-XX:SharedArchiveFile=" + archive);
        }
    },
    AOT_CACHE(".aot") {
        @Override
        List<String> record(Path recording) {
            // Recording, the JVM names every class it skips: no news to the user.
            return List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + recording, "-Xlog:aot*=off:stderr",
                    "-Xlog:cds*=off:stderr");
        }

        @Override
        List<String> create(Path recording, Path archive) {
            return List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + recording, "-XX:AOTCache=" + archive);
        }

        @Override
        List<String> map(Path archive) {
            return List.of("-XX:AOTCache=" + archive);
        }

        @Override
        String standardOutputNoise(Path recording) {
            return "AOTConfiguration recorded: " + recording;
        }
    };

    final String suffix;

    ArchiveFormat(String suffix) {
        this.suffix = suffix;
    }

    static ArchiveFormat forRelease(int feature) {
        return feature >= 25 ? AOT_CACHE : APP_CDS;
    }

    /** The training run's flags: record into {@code recording} what the archive is to hold. */
    abstract List<String> record(Path recording);

    /** The flags of the second JVM, which writes {@code archive} from {@code recording}. */
    abstract List<String> create(Path recording, Path archive);

    /** The flags of a run that maps {@code archive}. */
    abstract List<String> map(Path archive);

    /**
     * A line the JVM prints on standard output at the end of a training run whatever its logging flags, and which
     * must not reach the caller (standard output holds the handler's result); null when it prints none (a class
     * list is written to its file alone).
     */
    String standardOutputNoise(Path recording) {
        return null;
    }
}
