"""Deployable size before and after the Makefile build, per jar, and both artifacts run; see bench/footprint."""
import argparse
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import benchlib as b

GOAL_MB = 10.0
OURS = "functions/warden/target/classes (ours)"
GENERATED = re.compile(r"\$\$Lambda|/0x|LambdaForm\$|\$Proxy\d|^jdk\.internal\.reflect\.Generated|^com\.sun\.proxy\.")
CLASS_LOAD = re.compile(r"\] (\S+) source: (?:file:)?(\S+\.jar|\S+/)$")
# Fields that differ between two runs of the same events (clocks, random IDs), left out of the comparison.
VOLATILE = re.compile(r'"(sweepId|timestamp|at|until|recordedAt|expiresAt)": "[^"]*"|\d{4}-\d\d-\d\dT[\d:.]+Z?')


def mb(n):
    return f"{n / 1e6:.2f}"


def zip_dir(src, artifact):
    """Every file under src, deflated, as `sam package` zips a built function's folder."""
    with zipfile.ZipFile(artifact, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                z.write(f, f.relative_to(src).as_posix())
    return artifact.stat().st_size


def zipped_files(files, base):
    """Size of a deflated zip of these files, entry by entry, as the Maven layout's zip holds our classes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(f, f.relative_to(base).as_posix())
    return buf.tell()


def deflated_size(entries):
    """Size of a deflated zip holding one stored jar of these (name, bytes): a jar's share of the artifact."""
    jar = io.BytesIO()
    with zipfile.ZipFile(jar, "w", zipfile.ZIP_STORED) as z:
        for name, data in entries:
            z.writestr(name, data)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("lib/x.jar", jar.getvalue())
    return outer.tell()


def run_artifact(task_root, out):
    """ArtifactRun on task_root: every function primed and given its events in its own JVM. Returns
    {function: (exit status, normalized steps, application classes loaded)} and {jar: classes} over all."""
    local = b.ROOT / "local" / "target"
    cp = f"{local / 'classes'}:{(local / 'classpath.txt').read_text().strip()}"
    proc = subprocess.run([b.java_binary(), f"-Dddbwarden.root={b.ROOT}", "-cp", cp, "dev.ddbwarden.local.ArtifactRun",
                           str(task_root), str(out)], capture_output=True, text=True, cwd=b.ROOT)
    if proc.returncode != 0:
        sys.exit(f"bench: ArtifactRun failed on {task_root}: {proc.stderr[-2000:]}")
    functions, by_jar = {}, {}
    for run in json.loads(proc.stdout):
        name = run["function"]
        loaded = set()
        for line in (out / f"{name}.classes.log").read_text(errors="replace").splitlines():
            m = CLASS_LOAD.search(line)
            if m and not GENERATED.search(m.group(1)) and "/bootstrap" not in m.group(2):
                jar = Path(m.group(2)).name if m.group(2).endswith(".jar") else OURS
                by_jar.setdefault(jar, set()).add(m.group(1))
                loaded.add(m.group(1))
        steps = [VOLATILE.sub("", json.dumps(s, sort_keys=True)) for s in run["steps"]]
        functions[name] = (run["exitStatus"], steps, loaded)
    return functions, by_jar


def class_names(entries):
    return {n[:-6].replace("/", ".") for n in entries if n.endswith(".class") and "META-INF/" not in n}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-classes", action="store_true", help="skip running the artifacts (needs moto_server)")
    args = parser.parse_args()
    out = b.OUT / "footprint"
    before_root, after_root = out / "maven-layout", out / "artifact"
    before_zip, after_zip = out / "maven-layout.zip", out / "function.zip"
    before, after = zip_dir(before_root, before_zip), zip_dir(after_root, after_zip)
    shaded = after_root / "lib" / "warden.jar"
    jars = sorted((before_root / "lib").glob("*.jar"), key=lambda p: p.stat().st_size, reverse=True)
    ours = [f for f in before_root.rglob("*") if f.is_file() and "lib" not in f.relative_to(before_root).parts]

    with zipfile.ZipFile(shaded) as z:
        kept = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    origins = [(OURS, {f.relative_to(before_root).as_posix() for f in ours})]
    origins += [(j.name, set(zipfile.ZipFile(j).namelist())) for j in jars]
    claimed = set()
    share = {}
    for name, entries in origins:
        mine = sorted(n for n in entries if n in kept and n not in claimed)
        claimed.update(mine)
        share[name] = (len(class_names(entries)), len(class_names(mine)), deflated_size([(n, kept[n]) for n in mine]))

    lines = [
        "Before: sam build's Java/Maven workflow (functions/warden/target/classes at the root, the runtime jars of",
        "`mvn dependency:copy-dependencies -DincludeScope=runtime` in lib/). After: template.yaml's BuildMethod: makefile,",
        "run as sam build runs it (`make build-DeletionProtectionFunction` in a copy of functions/warden, ARTIFACTS_DIR set):",
        "lib/warden.jar, one minimized jar with stored entries. Both folders zipped with deflate, as `sam package` does.",
        "",
        f"Deployable artifact: **{mb(after)} MB** zipped ({after} bytes; lib/warden.jar, {len(kept)} entries; before: "
        f"{mb(before)} MB, {len(jars)} jars)  [goal <= {GOAL_MB:.0f} MB: {'met' if after / 1e6 <= GOAL_MB else 'missed'}, "
        f"{'over' if after / 1e6 > GOAL_MB else 'under'} by {abs(after / 1e6 - GOAL_MB):.2f} MB]",
        f"Unzipped (Lambda's limit is 250 MB): before {mb(sum(f.stat().st_size for f in before_root.rglob('*') if f.is_file()))} MB,"
        f" after {mb(shaded.stat().st_size)} MB",
        "",
    ]

    runs = {}
    if not args.no_classes:
        runs["before"] = run_artifact(before_root, out / "run-before")
        runs["after"] = run_artifact(after_root, out / "run-after")
    loaded_before = runs["before"][1] if runs else {}
    rows = []
    for name, _ in origins:
        size = zipped_files(ours, before_root) if name == OURS else (before_root / "lib" / name).stat().st_size
        classes, kept_classes, zipped = share[name]
        rows.append([name, mb(size), classes, len(loaded_before.get(name, ())) if runs else "-", kept_classes, mb(zipped)])
    lines += [
        "Per jar. MB before: the jar as shipped (ours: our classes and resources, zipped). Loaded: classes any",
        "function loads from it in the run below (init, priming and every routed event). Kept: its classes in",
        "lib/warden.jar. MB after: its kept entries deflated as one stream alone (their sum differs a little from",
        "the artifact, which deflates them all together).",
        "",
        b.table(["jar", "MB before", "classes", "loaded", "kept", "MB after"], rows),
        "",
    ]
    if runs:
        lines += ["Both artifacts run (local's ArtifactRun, as DeployedArtifactIT does): each function in a fresh JVM on the",
                  "artifact alone, init, priming, then every events/ file template.yaml routes to it (the sweep: start, page,",
                  "finish), against moto_server on loopback; results compared without clocks and random IDs.", ""]
        result_rows = []
        for function, (status, steps, loaded) in runs["before"][0].items():
            a_status, a_steps, a_loaded = runs["after"][0][function]
            result_rows.append([function, len(steps) - 1, f"{status} / {a_status}", "identical" if steps == a_steps else "DIFFERENT",
                                len(loaded), len(a_loaded), "identical" if loaded == a_loaded else
                                f"DIFFERENT (-{len(loaded - a_loaded)} +{len(a_loaded - loaded)})"])
        lines += [b.table(["function", "events", "exit before / after", "results", "classes before", "classes after",
                           "class names"], result_rows), ""]
    text = "\n".join(lines)
    print(text)
    (b.OUT / "footprint.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
