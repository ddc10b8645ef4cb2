"""Cold start of DeletionProtectionFunction against a minimal Python boto3 handler; see bench/cold-start."""
import argparse
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import benchlib as b

EVENT = b.ROOT / "events" / "create-table-unprotected.json"
TABLE = "orders"
TOPIC = "ddb-warden-alerts"
HANDLER = "dev.ddbwarden.handler.WardenHandler::handleRequest"  # with RULE=deletion-protection, as the template sets it
# The same function's entry class in checkouts from before issue 15, for --before.
BEFORE_HANDLER = "dev.ddbwarden.handler.DeletionProtectionHandler::handleRequest"
FUNCTION, MEMORY_MB, TIMEOUT_S = "DeletionProtectionFunction", 512, 60
C1 = "-XX:TieredStopAtLevel=1"
SERIAL = "-XX:+UseSerialGC"
REPORT = re.compile(r"REPORT Init Duration: (\d+) ms\tDuration: (\d+) ms")


@dataclass
class Side:
    name: str
    command: list            # argv after /usr/bin/time
    note: str = ""
    train: list = None       # argvs run in turn before measuring (a class-data archive's training), or None
    python: bool = False
    env: dict = None         # extra environment for this side
    train_env: dict = None   # extra environment for its training run (else env)
    runs: list = field(default_factory=list)
    failures: int = 0


def static_appcds(java, flags, cp, out, name):
    """The flags that map a static AppCDS archive, and the two steps that make it, as ./warden does
    (ArchiveFormat): a run lists the classes it loads, then -Xshare:dump archives them with the same flags and
    classpath."""
    classlist, jsa = out / f"{name}.classlist", out / f"{name}.jsa"
    return (f"-XX:SharedArchiveFile={jsa}", f"-XX:DumpLoadedClassList={classlist}",
            [java, *flags, "-Xshare:dump", f"-XX:SharedClassListFile={classlist}", f"-XX:SharedArchiveFile={jsa}", "-cp", cp])


def primed_side(java, bench_cp):
    """SnapStart stand-in: init, then Priming, then the first invocation (dev.ddbwarden.bench.PrimedBootstrap)."""
    return Side("snapstart stand-in: init + Priming, then first invocation (C1 + SerialGC)",
                [java, C1, SERIAL, "-cp", bench_cp, "dev.ddbwarden.bench.PrimedBootstrap", str(EVENT)],
                "init includes priming (done at publish time under SnapStart, not on an event's path): "
                "compare its first invocation; its 2 extra AWS calls are priming's reads")


def warden_shipped_sides(env_cache, java, java25):
    """./warden invoke as shipped: the script itself (its staleness check included), which maps a class-data
    archive in each JVM (static AppCDS; an AOT cache on JDK 25), trained by its first run (the training run made before
    measuring); on the JVM under test and, when there is one, on JDK 25 (JAVA_HOME)."""
    cmd = [str(b.ROOT / "warden"), "invoke", FUNCTION, "-e", str(EVENT)]
    home = str(Path(java).resolve().parent.parent)
    sides = [Side("./warden invoke, as shipped (an archive per JVM)", cmd,
                  "the script: launcher JVM + handler JVM, each mapping the archive its first run trained",
                  train=[cmd], env={"XDG_CACHE_HOME": str(env_cache / "default"), "JAVA_HOME": home})]
    if java25:
        sides.append(Side("./warden invoke, as shipped, JAVA_HOME=JDK 25 (an AOT cache per JVM)", cmd,
                          "the script on JDK 25: launcher JVM + handler JVM, each mapping the AOT cache its first run made",
                          train=[cmd], env={"XDG_CACHE_HOME": str(env_cache / "jdk25"),
                                          "JAVA_HOME": str(Path(java25).resolve().parent.parent)}))
    return sides


def warden_invoke_side(java, cp):
    """./warden invoke as before class-data archives and the artifact: Main (parses template.yaml, builds the
    environment) on the build's classpath starts the handler's JVM with JvmOptions.FAST_START on that same
    classpath (a copy outside the project, so Invoke does not swap in the artifact); its archive is off because
    the cache directory cannot be created (Invoke then says so and runs without one)."""
    return Side("./warden invoke, before: build's classpath, no archives (2 JVMs)",
                [java, C1, SERIAL, "-Xshare:auto", f"-Dddbwarden.root={b.ROOT}", "-cp", cp, "dev.ddbwarden.local.Main",
                 "invoke", FUNCTION, "-e", str(EVENT)],
                "launcher JVM + handler JVM on the build's classpath, neither with an application archive; init and first invocation are the "
                "handler JVM's", env={"XDG_CACHE_HOME": "/dev/null/no-cache"})


def variant_sides(java, cp, out, variants):
    """--variant rows: C1 + SerialGC + static AppCDS with extra JVM flags (e.g. Log4j's -Dlog4j2.* settings) or another
    classpath (a leading `-cp PATH`), each with its own archive, so a setting is measured interleaved with the rest."""
    sides = []
    for i, spec in enumerate(variants):
        label, _, flags = spec.partition("=")
        flags = flags.split()
        row_cp = cp
        if flags[:1] == ["-cp"]:
            row_cp, flags = flags[1], flags[2:]
        mapping, listing, dump = static_appcds(java, [C1, SERIAL, *flags], row_cp, out, f"variant-{i}")
        def cmd(*more):
            return [java, C1, SERIAL, *more, *flags, "-cp", row_cp, "dev.ddbwarden.local.LambdaBootstrap", HANDLER,
                    str(EVENT), FUNCTION, str(MEMORY_MB), str(TIMEOUT_S)]
        sides.append(Side(f"variant: {label}", cmd(mapping),
                          "C1 + SerialGC + static AppCDS + " + " ".join(flags) + ("" if row_cp == cp else " (its own -cp)"),
                          train=[cmd(listing), dump]))
    return sides


def before_sides(java, before, out):
    """--before rows: another checkout's build (e.g. the commit before a change, in a git worktree) as the
    C1 + SerialGC + static AppCDS row and the SnapStart stand-in, interleaved with this build's, so that a change is
    measured against what it replaced in one run on one machine load."""
    root = Path(before).resolve()
    cp = ":".join(b.artifact_classpath(out / "before-artifact", root))
    bench_cp = ":".join(b.snapshot_classpath(out / "before-bench-lib", "bench/jmh", "warden-bench-*.jar", root))
    mapping, listing, dump = static_appcds(java, [C1, SERIAL], cp, out, "before")
    def cmd(*more):
        return [java, C1, SERIAL, *more, "-cp", cp, "dev.ddbwarden.local.LambdaBootstrap", BEFORE_HANDLER, str(EVENT), FUNCTION,
                str(MEMORY_MB), str(TIMEOUT_S)]
    primed = primed_side(java, bench_cp)
    primed.name, primed.note = "before: " + primed.name, f"{root}'s build; " + primed.note
    invoke = [str(root / "warden"), "invoke", FUNCTION, "-e", str(EVENT)]
    return [Side("before: C1 + SerialGC + static AppCDS", cmd(mapping), f"{root}'s artifact and runner",
                 train=[cmd(listing), dump]), primed,
            Side("before: ./warden invoke, as shipped (an archive per JVM)", invoke, f"{root}'s script and build",
                 train=[invoke], env={"XDG_CACHE_HOME": str(out / "cache" / "before"),
                                      "JAVA_HOME": str(Path(java).resolve().parent.parent)})]


def java_sides(java, java25, cp, maven_cp, out):
    def cmd(jvm, *flags, classpath=cp):
        return [jvm, *flags, "-cp", classpath, "dev.ddbwarden.local.LambdaBootstrap", HANDLER, str(EVENT), FUNCTION,
                str(MEMORY_MB), str(TIMEOUT_S)]
    default_map, default_list, default_dump = static_appcds(java, [], cp, out, "app-defaults")
    fast_map, fast_list, fast_dump = static_appcds(java, [C1, SERIAL], cp, out, "app")
    maven_map, maven_list, maven_dump = static_appcds(java, [C1, SERIAL], maven_cp, out, "app-maven")
    dynamic = out / "app-dynamic.jsa"
    sides = [
        Side("java: defaults", cmd(java), "no flags; the JDK's own CDS archive (-Xshare:auto)"),
        Side("java: -Xshare:off", cmd(java, "-Xshare:off"), "not even the JDK's CDS archive"),
        Side(f"java: {C1}", cmd(java, C1), "C1 only (Lambda's default on java17/java21)"),
        Side(f"java: {SERIAL}", cmd(java, SERIAL), "serial GC (Lambda's default)"),
        Side("java: C1 + SerialGC", cmd(java, C1, SERIAL), "= ./warden invoke's JvmOptions.FAST_START, without archive"),
        Side("java: static AppCDS", cmd(java, default_map),
             "static application CDS archive (./warden's): one run lists its classes, -Xshare:dump archives them, "
             "with the same flags", train=[cmd(java, default_list), default_dump]),
        Side("java: C1 + SerialGC + static AppCDS", cmd(java, C1, SERIAL, fast_map),
             "all three", train=[cmd(java, C1, SERIAL, fast_list), fast_dump]),
        Side("java: C1 + SerialGC + dynamic AppCDS", cmd(java, C1, SERIAL, f"-XX:SharedArchiveFile={dynamic}"),
             "the row above with a dynamic archive instead (./warden's before: written at exit with "
             "-XX:ArchiveClassesAtExit, a layer over the JDK's)",
             train=[cmd(java, C1, SERIAL, f"-XX:ArchiveClassesAtExit={dynamic}")]),
        Side("java: C1 + SerialGC + static AppCDS, Maven classpath", cmd(java, C1, SERIAL, maven_map, classpath=maven_cp),
             "C1 + SerialGC + static AppCDS on the build's classpath (the functions' jar and its 70 dependency jars) "
             "instead of the artifact",
             train=[cmd(java, C1, SERIAL, maven_list, classpath=maven_cp), maven_dump]),
    ]
    if java25:
        aot = out / "app.aot"
        sides += [
            Side("jdk25: C1 + SerialGC", cmd(java25, C1, SERIAL), "JDK 25 for comparison"),
            Side("jdk25: C1 + SerialGC + AOT cache", cmd(java25, C1, SERIAL, f"-XX:AOTCache={aot}"),
                 "JDK 25 AOT cache (JEP 483/514/515), trained by one run",
                 train=[cmd(java25, C1, SERIAL, f"-XX:AOTCacheOutput={aot}")]),
        ]
    return sides


def run_once(side, moto, dynamodb, env, logs, label):
    b.recreate_table(dynamodb, TABLE)
    before = moto.requests()
    rss_file, out_file, err_file = logs / f"{label}.rss", logs / f"{label}.out", logs / f"{label}.err"
    with open(out_file, "w") as out, open(err_file, "w") as err:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", str(rss_file), *side.command],
                              env=dict(env, **(side.env or {})), stdout=out, stderr=err, cwd=b.ROOT)
        wall_ms = (time.perf_counter() - start) * 1000
    time.sleep(0.05)  # moto writes its access-log line after the response
    calls = moto.requests() - before
    report = REPORT.search(err_file.read_text(errors="replace"))
    protected = dynamodb.describe_table(TableName=TABLE)["Table"].get("DeletionProtectionEnabled", False)
    if proc.returncode != 0 or not report or not protected:
        return None, f"exit {proc.returncode}, report {'found' if report else 'missing'}, protected {protected}; see {err_file}"
    rss_kb, user_s, sys_s = rss_file.read_text().strip().splitlines()[-1].split()
    return {"init_ms": int(report.group(1)), "first_ms": int(report.group(2)), "wall_ms": wall_ms,
            "cpu_ms": (float(user_s) + float(sys_s)) * 1000, "rss_mb": int(rss_kb) / 1024, "calls": calls}, None


def await_background_creations(cache, seconds=150):
    """./warden creates its launcher's archive in the background once the command has answered; its training
    files (*.tmp, *.tmp.rec) stay in the cache until that is done, and a run before then would train again."""
    deadline = time.monotonic() + seconds
    while cache.exists() and any(".tmp" in p.name for p in cache.rglob("*")):
        if time.monotonic() > deadline:
            sys.exit(f"bench: ./warden's background archive creation in {cache} took over {seconds} s")
        time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser()
    # 11, not the minimum of 5: on a shared 2-CPU VM one run's wall time strays by 15% either way, and
    # two run-alls at 7 runs gave JDK 17's ratio as 0.95 and 1.03.
    parser.add_argument("--runs", type=int, default=11, help="measured runs per row (at least 5)")
    parser.add_argument("--only", default="", help="comma-separated substrings: measure only matching Java rows")
    parser.add_argument("--variant", action="append", default=[], metavar="LABEL=FLAGS",
                        help="an extra row: C1 + SerialGC + static AppCDS plus FLAGS (a leading `-cp PATH` replaces the "
                             "classpath); kept by --only like any row, so pass its label there too")
    parser.add_argument("--before", metavar="DIR",
                        help="another built checkout: its artifact and stand-in as rows beside this build's "
                             "(kept by --only like any row: pass `before` there too)")
    args = parser.parse_args()
    runs = max(5, args.runs)
    which = [s for s in args.only.split(",") if s]

    out = b.OUT / "cold-start"
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    java, java25 = b.java_binary(), b.java25_binary()
    cp = ":".join(b.artifact_classpath(out / "artifact"))
    maven_cp = ":".join(b.snapshot_classpath(out / "lib"))
    bench_jar = sorted((b.ROOT / "bench" / "jmh" / "target").glob("warden-bench-*.jar"))
    bench_cp = ":".join(b.snapshot_classpath(out / "bench-lib", "bench/jmh", "warden-bench-*.jar")) if bench_jar else None
    for stale in list(out.glob("*.jsa")) + list(out.glob("*.classlist")) + list(out.glob("*.aot*")):
        stale.unlink()

    with b.Moto(out / "moto.log") as moto:
        dynamodb, sns = b.admin_clients(moto.endpoint)
        topic = sns.create_topic(Name=TOPIC)["TopicArn"]
        env = b.aws_env(moto.endpoint, {
            "ALERT_TOPIC_ARN": topic,
            "LEDGER_TABLE": "",  # no ledger: DescribeTable, ListTagsOfResource, UpdateTable, Publish remain
            "RECHECK_QUEUE_URL": "",
            "RULE": "deletion-protection",
            "POWERTOOLS_SERVICE_NAME": "ddb-warden", "POWERTOOLS_METRICS_NAMESPACE": "ddb-warden",
            "POWERTOOLS_LOG_LEVEL": "INFO",
            "AWS_LAMBDA_FUNCTION_NAME": FUNCTION, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(MEMORY_MB),
        })
        python = Side("python: boto3 baseline", [sys.executable, str(b.ROOT / "bench" / "baseline" / "bootstrap.py"),
                                                  str(EVENT)], "bench/baseline/handler.py", python=True)
        cache = out / "cache"
        if cache.exists():
            shutil.rmtree(cache)
        candidates = (java_sides(java, java25, cp, maven_cp, out) + [warden_invoke_side(java, maven_cp)]
                      + warden_shipped_sides(cache, java, java25)
                      + ([primed_side(java, bench_cp)] if bench_cp else []) + variant_sides(java, cp, out, args.variant)
                      + (before_sides(java, args.before, out) if args.before else []))
        sides = [python] + [s for s in candidates if not which or any(w in s.name for w in which)]

        for side in sides:
            if side.train:
                print(f"training: {side.name}", file=sys.stderr)
                b.recreate_table(dynamodb, TABLE)
                with open(logs / "train.log", "a") as log:
                    for step in side.train:
                        subprocess.run(step, env=dict(env, **(side.train_env or side.env or {})), stdout=log, stderr=log,
                                       cwd=b.ROOT, check=True)
        await_background_creations(cache)
        # One discarded run per side: the page cache, Python's bytecode cache, the archives mapped once.
        for side in sides:
            run_once(side, moto, dynamodb, env, logs, "warmup")
        for r in range(runs):
            order = sides[r % len(sides):] + sides[:r % len(sides)]  # rotate, so no side always goes first
            for side in order:
                label = re.sub(r"[^a-z0-9]+", "-", side.name.lower()) + f"-{r}"
                result, error = run_once(side, moto, dynamodb, env, logs, label)
                if result:
                    side.runs.append(result)
                else:
                    side.failures += 1
                    print(f"bench: {side.name} run {r} failed: {error}", file=sys.stderr)
            print(f"round {r + 1}/{runs} done", file=sys.stderr)

    report(sides, runs, java, java25, out)


def report(sides, runs, java, java25, out):
    py = sides[0]
    if not py.runs:
        sys.exit("bench: every Python run failed")
    py_wall = b.spread([x["wall_ms"] for x in py.runs])[0]
    headers = ["side", "init ms", "first invocation ms", "total wall ms", "CPU ms (user+sys)", "peak RSS MB", "AWS calls",
               "java/python (wall)", "note"]
    rows = []
    for s in sides:
        if not s.runs:
            rows.append([s.name, "failed", "", "", "", "", "", "", s.note])
            continue
        get = lambda k: [x[k] for x in s.runs]
        wall = b.spread(get("wall_ms"))[0]
        calls = sorted(set(get("calls")))
        rows.append([s.name, b.fmt_spread(get("init_ms")), b.fmt_spread(get("first_ms")),
                     b.fmt_spread(get("wall_ms")), b.fmt_spread(get("cpu_ms")), b.fmt_spread(get("rss_mb")),
                     "/".join(map(str, calls)), "-" if s.python else f"{wall / py_wall:.2f}",
                     s.note + (f"; {s.failures} failed runs" if s.failures else "")])
    text = [
        f"Median (min-max) of {runs} runs per side, each a fresh process, sides interleaved; one discarded",
        "warm-up run each. init = the handler's constructor (Java) or the module import (Python);",
        "first invocation = one handleRequest on events/create-table-unprotected.json, an unprotected",
        "`orders` table recreated before every run; total wall = process start to exit; peak RSS from",
        "/usr/bin/time, as is CPU time (user+sys, all threads; less sensitive than wall time to other load on the\n"
        "machine). AWS calls = requests moto_server served during the run. LEDGER_TABLE is empty, so the",
        "handler makes no ledger calls: what remains is DescribeTable, ListTagsOfResource (the tags decide",
        "exemption, quarantine and decommission), UpdateTable and Publish, against the baseline's",
        "DescribeTable, UpdateTable, Publish.",
        "",
        f"JVM: {b.java_version(java)}" + (f"; JDK 25: {b.java_version(java25)}" if java25 else ""),
        f"Python: {sys.version.split()[0]} ({sys.executable}), boto3 {__import__('boto3').__version__}",
        "",
        b.table(headers, rows),
        "",
    ]
    java_rows = [s for s in sides if not s.python and s.runs]
    ratio = lambda s: b.spread([x["wall_ms"] for x in s.runs])[0] / py_wall
    py_cpu = b.spread([x["cpu_ms"] for x in py.runs])[0]
    cpu_ratio = lambda s: b.spread([x["cpu_ms"] for x in s.runs])[0] / py_cpu
    default = next((s for s in java_rows if s.name == "java: defaults"), None)
    if default:
        text.append(f"java/python cold ratio (java defaults): {ratio(default):.2f}")
    jdk = [s for s in java_rows if s.name.startswith("java:")]
    if jdk:
        best = min(jdk, key=ratio)
        rss = b.spread([x["rss_mb"] for x in best.runs])[0]
        text.append(f"java/python cold ratio (best on this JVM, {best.name}): {ratio(best):.2f}"
                    f"  [goal <= 1.00: {'met' if ratio(best) <= 1.0 else 'missed'}]")
        text.append(f"java/python cold ratio by CPU time (user+sys) for that row: {cpu_ratio(best):.2f}")
        text.append(f"peak RSS of that row: {rss:.0f} MB  [goal <= 200 MB: {'met' if rss <= 200 else 'missed'}]")
        worst_rss = max(b.spread([x["rss_mb"] for x in s.runs])[0] for s in jdk)
        text.append(f"highest median peak RSS of any java row: {worst_rss:.0f} MB")
    for s in java_rows:
        if s.name.startswith("./warden"):
            text.append(f"java/python cold ratio ({s.name}, end to end): {ratio(s):.2f}")
        if s.name.startswith("jdk25") and "AOT" in s.name:
            text.append(f"java/python cold ratio ({s.name}, not the deployed runtime): {ratio(s):.2f}"
                        f"  [goal <= 1.00: {'met' if ratio(s) <= 1.0 else 'missed'}]")
    result = "\n".join(text)
    print(result)
    (b.OUT / "cold-start.md").write_text(result + "\n")
    b.write_json(b.OUT / "cold-start.json", {s.name: {"runs": s.runs, "failures": s.failures, "note": s.note}
                                            for s in sides})


if __name__ == "__main__":
    main()
