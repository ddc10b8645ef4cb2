"""Runs every benchmark and writes bench/RESULTS.md; see bench/run-all."""
import argparse
import os
import re
import subprocess
import sys
import time

import benchlib as b

RESULTS = b.ROOT / "bench" / "RESULTS.md"


def load():
    try:
        return open("/proc/loadavg").read().split()[:3]
    except OSError:
        return ["?", "?", "?"]


def run(name, args, env):
    print(f"==> {name}", file=sys.stderr)
    start = time.monotonic()
    proc = subprocess.run(args, env=env, cwd=b.ROOT, stdout=subprocess.PIPE, text=True)
    took = time.monotonic() - start
    if proc.returncode != 0:
        print(f"run-all: {name} failed with exit {proc.returncode}", file=sys.stderr)
    return proc.returncode, proc.stdout, took


def jmh_table(text):
    """The closing table JMH prints."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Benchmark") and "Score" in line), None)
    return "\n".join(lines[start:]).strip() if start is not None else "(no JMH table printed)"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", default="11", help="runs per row of bench/cold-start")
    parser.add_argument("--events", default="1000", help="events per side of bench/warm")
    args = parser.parse_args()
    env = dict(os.environ, BENCH_NO_BUILD="1")
    machine = b.machine()
    load_before = load()
    results = {}
    results["cold"] = run("cold-start", [str(b.ROOT / "bench" / "cold-start"), "--runs", args.runs], env)
    results["warm"] = run("warm", [str(b.ROOT / "bench" / "warm"), "--events", args.events], env)
    results["footprint"] = run("footprint", [str(b.ROOT / "bench" / "footprint")], env)
    results["jmh"] = run("policy-throughput", [str(b.ROOT / "bench" / "policy-throughput")], env)
    load_after = load()

    def section(key):
        rc, out, took = results[key]
        body = out.strip() if key != "jmh" else "```\n" + jmh_table(out) + "\n```"
        return (body if rc == 0 else f"**Failed (exit {rc}).** Output so far:\n\n```\n{out.strip()[-3000:]}\n```") \
            + f"\n\n_Took {took:.0f} s._"

    def grab(key, pattern):
        m = re.search(pattern, results[key][1])
        return m.group(0) if m else "(not measured)"

    summary = [
        "- " + grab("cold", r"java/python cold ratio \(best on this JVM.*"),
        "- " + grab("cold", r"java/python cold ratio by CPU time.*"),
        "- " + grab("cold", r"java/python cold ratio \(java defaults\).*"),
        "- " + grab("cold", r"java/python cold ratio \(jdk25: .*AOT.*"),
        "- " + grab("cold", r"java/python cold ratio \(./warden invoke, before.*"),
        "- " + grab("cold", r"java/python cold ratio \(./warden invoke, as shipped \(.*"),
        "- " + grab("cold", r"java/python cold ratio \(./warden invoke, as shipped, JAVA_HOME.*"),
        "- " + grab("cold", r"peak RSS of that row.*"),
        "- " + grab("cold", r"highest median peak RSS.*"),
        "- " + grab("warm", r"warm overhead ratio \(p50 handler / p50 bare, the \d+ calls the rule must make\).*"),
        "- " + grab("warm", r"warm overhead ratio \(p50 handler / p50 bare, the issue's.*"),
        "- " + grab("footprint", r"Deployable artifact: .*"),
    ]
    text = f"""# ddb-warden benchmark results

Written by `bench/run-all` on {machine['date']}; every number below comes from that run. Each script's
header says what it measures and what it does not; raw runs are in bench/out/ (not committed).

## Machine

| | |
|---|---|
| CPUs (nproc) | {machine['nproc']} |
| CPU model | {machine['cpu']} |
| memory | {machine['memory']} |
| kernel | {machine['kernel']} |
| java | {machine['java']} |
| python | {machine['python']} |
| load average (1, 5, 15 min) before / after | {' '.join(load_before)} / {' '.join(load_after)} |

The benchmarks share the machine with whatever else runs on it, moto_server included (it answers every
AWS call on the same CPUs). A load average above the CPU count means wall times are inflated; CPU time
(cold start) and the interleaving of the sides (every benchmark) keep the comparisons fair, not the
absolute numbers.

## Goals

{chr(10).join(summary)}

## Cold start (bench/cold-start)

{section('cold')}

## Warm path (bench/warm)

{section('warm')}

## Footprint (bench/footprint)

{section('footprint')}

## Pure parts, JMH (bench/policy-throughput)

Operations per second, higher is better.

{section('jmh')}
"""
    RESULTS.write_text(text)
    print(f"wrote {RESULTS.relative_to(b.ROOT)}", file=sys.stderr)
    return 0 if all(r[0] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
