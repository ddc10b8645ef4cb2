"""Deployable size and classes loaded by the first invocation; see bench/footprint."""
import argparse
import collections
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import benchlib as b

GOAL_MB = 10.0
# Which family each runtime jar belongs to, for the per-family lines (first match wins).
FAMILIES = [
    ("AWS SDK: DynamoDB, SNS, SQS clients", r"^(dynamodb|sns|sqs)-\d"),
    ("AWS SDK: core, protocols, auth, regions, HTTP", r"^(sdk-core|aws-core|regions|utils|utils-lite|auth|http-auth.*|identity-spi|"
     r"http-client-spi|url-connection-client|protocol-core|aws-json-protocol|aws-query-protocol|third-party-jackson-core|"
     r"json-utils|endpoints-spi|metrics-spi|profiles|retries.*|checksums.*|eventstream|annotations|reactive-streams)-\d"),
    ("Log4j 2 (Powertools logging's backend)", r"^log4j-"),
    ("Powertools logging + its JMESPath", r"^(powertools-logging.*|powertools-serialization|jmespath-.*)-\d"),
    ("Powertools metrics + EMF + their deps", r"^(powertools-metrics|powertools-common|aws-embedded-metrics|javatuples|"
     r"commons-lang3|jackson-datatype-jsr310|crac)-\d"),
    ("Jackson (ours)", r"^jackson-"),
    ("Lambda core, SLF4J", r"^(aws-lambda-java-core|slf4j-api)-\d"),
]


def short(jars, limit=8):
    """Jar names without versions, the largest first, at most `limit` of them."""
    names = [re.sub(r"-\d[\w.]*\.jar$", "", j.name) for j in jars]
    return ", ".join(names[:limit]) + (f", +{len(names) - limit} more" if len(names) > limit else "")


def mb(n):
    return f"{n / 1e6:.2f}"


def build_artifact(out, lib):
    """target/classes and the runtime jars, laid out as sam build does (classes at the root, jars in lib/)."""
    classes = b.ROOT / "functions" / "warden" / "target" / "classes"
    if not classes.is_dir() or not lib.is_dir():
        sys.exit("bench: functions/warden is not built")
    artifact = out / "function.zip"
    with zipfile.ZipFile(artifact, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(classes.rglob("*")):
            if f.is_file():
                z.write(f, f.relative_to(classes).as_posix())
        for jar in sorted(lib.glob("*.jar")):
            z.write(jar, "lib/" + jar.name)
    return artifact, classes


def zipped_size(files):
    """Size of a zip holding exactly these (path, arcname) pairs."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path, name in files:
            z.write(path, name)
    return buf.tell()


def classes_loaded(out, lines):
    """Runs the first invocation once with -Xlog:class+load and counts what was loaded, by origin."""
    import cold_start as cs
    # Exactly the deployable classes and jars, plus the local module's jar for LambdaBootstrap itself.
    local_jar = sorted((b.ROOT / "local" / "target").glob("warden-local-*.jar"))
    if not local_jar:
        sys.exit("bench: local/target is not built")
    cp = ":".join([str(local_jar[0]), str(b.ROOT / "functions" / "warden" / "target" / "classes")]
                  + [str(j) for j in sorted((out / "lib").glob("*.jar"))])
    log = out / "class-load.log"
    with b.Moto(out / "moto.log") as moto:
        dynamodb, sns = b.admin_clients(moto.endpoint)
        b.recreate_table(dynamodb, cs.TABLE)
        topic = sns.create_topic(Name=cs.TOPIC)["TopicArn"]
        env = b.aws_env(moto.endpoint, {"ALERT_TOPIC_ARN": topic, "LEDGER_TABLE": "", "RECHECK_QUEUE_URL": "",
                                        "AWS_EMF_ENVIRONMENT": "Local", "POWERTOOLS_LOG_LEVEL": "INFO"})
        cmd = [b.java_binary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", f"-Xlog:class+load:file={log}", "-cp", cp,
               "dev.ddbwarden.local.LambdaBootstrap", cs.HANDLER, str(cs.EVENT), cs.FUNCTION, "512", "60"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=b.ROOT)
    if proc.returncode != 0:
        sys.exit(f"bench: the class-loading run failed: {proc.stderr[-2000:]}")
    origins = collections.Counter()
    jars = collections.Counter()
    total = 0
    for line in log.read_text(errors="replace").splitlines():
        m = re.search(r"\] (\S+) source: (.*)$", line)
        if not m:
            continue
        total += 1
        source = m.group(2)
        if "shared objects file" in source:
            origins["JDK, from the JDK's CDS archive"] += 1
        elif source.startswith("jrt:/"):
            origins["JDK, from its modules (jrt:/)"] += 1
        elif source.startswith("file:"):
            path = source.replace("file:", "")
            jar = Path(path).name if path.endswith(".jar") else "functions/warden/target/classes (ours)"
            origins["application (the artifact's classes and jars)"] += 1
            jars[jar] += 1
        else:
            origins["generated at run time (lambdas, proxies, reflection)"] += 1
    lines += [f"Classes loaded by one cold process through its first invocation (init + one handleRequest of "
              f"events/create-table-unprotected.json, -Xlog:class+load, on the artifact's own classes and jars): "
              f"**{total}**", ""]
    lines += [b.table(["origin", "classes"], [[k, v] for k, v in origins.most_common()]), ""]
    lines += [b.table(["application jar or directory (top 12 by classes loaded)", "classes"],
                      [[k, v] for k, v in jars.most_common(12)]), ""]
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-classes", action="store_true", help="skip the class-loading run (needs moto_server)")
    args = parser.parse_args()
    out = b.OUT / "footprint"
    lib = out / "lib"
    artifact, classes = build_artifact(out, lib)
    size = artifact.stat().st_size
    jars = sorted(lib.glob("*.jar"), key=lambda p: p.stat().st_size, reverse=True)
    classes_size = zipped_size([(f, f.relative_to(classes).as_posix()) for f in classes.rglob("*") if f.is_file()])
    lines = [
        "The artifact as `sam build` assembles it for Java/Maven: functions/warden/target/classes at the root and the",
        "runtime dependencies (`mvn dependency:copy-dependencies -DincludeScope=runtime`) in lib/, zipped with deflate.",
        "",
        f"Deployable artifact: **{mb(size)} MB** zipped ({size} bytes; {len(jars)} jars, our own classes "
        f"{mb(classes_size)} MB)  [goal <= {GOAL_MB:.0f} MB: {'met' if size / 1e6 <= GOAL_MB else 'missed'}, "
        f"{'over' if size / 1e6 > GOAL_MB else 'under'} by {abs(size / 1e6 - GOAL_MB):.2f} MB]",
        "",
        b.table(["10 largest runtime jars", "MB", "share of the zip"],
                [[j.name, mb(j.stat().st_size), f"{100 * j.stat().st_size / size:.1f}%"] for j in jars[:10]]),
        "",
    ]
    family_rows = []
    seen = set()
    for family, pattern in FAMILIES:
        members = [j for j in jars if re.search(pattern, j.name) and j not in seen]
        seen.update(members)
        if members:
            total = sum(j.stat().st_size for j in members)
            family_rows.append([family, len(members), mb(total), short(members)])
    rest = [j for j in jars if j not in seen]
    if rest:
        family_rows.append(["other", len(rest), mb(sum(j.stat().st_size for j in rest)), short(rest)])
    lines += [b.table(["family", "jars", "MB", "jars"], family_rows), ""]
    if not args.no_classes:
        classes_loaded(out, lines)
    text = "\n".join(lines)
    print(text)
    (b.OUT / "footprint.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
