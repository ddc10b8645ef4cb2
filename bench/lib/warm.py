"""Warm path of the deletion-protection rule's handler against the bare SDK calls; see bench/warm."""
import argparse
import subprocess
import sys

import benchlib as b

TABLE = "orders"


EVENT = b.ROOT / "events" / "create-table-unprotected.json"
# Lambda's defaults on java17/java21 (C1 only, serial GC) and a 512 MB function's heap.
JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m"]


def handler_env(endpoint, topic):
    return b.aws_env(endpoint, {
        "ALERT_TOPIC_ARN": topic, "LEDGER_TABLE": "", "RECHECK_QUEUE_URL": "", "RULE": "deletion-protection",
        "POWERTOOLS_SERVICE_NAME": "ddb-warden", "POWERTOOLS_METRICS_NAMESPACE": "ddb-warden",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "AWS_LAMBDA_FUNCTION_NAME": "DeletionProtectionFunction", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
    })


def run(command, env, out):
    with open(out / "handler-stderr.log", "w") as err:
        proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=err, text=True, cwd=b.ROOT)
    if proc.returncode != 0:
        sys.exit(f"bench: the warm benchmark failed (exit {proc.returncode}); see {out / 'handler-stderr.log'}")
    return proc.stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int)
    parser.add_argument("--warmup", type=int)
    parser.add_argument("--in-process", action="store_true",
                        help="every AWS call answered in-process by a canned response, no moto_server")
    args = parser.parse_args()
    out = b.OUT / ("warm-in-process" if args.in_process else "warm")
    out.mkdir(parents=True, exist_ok=True)
    cp = ":".join(b.snapshot_classpath(out / "lib", "bench/jmh", "warden-bench-*.jar"))
    java = b.java_binary()
    if args.in_process:
        # The clients never use the endpoint: their HTTP client answers in-process.
        env = handler_env("http://127.0.0.1:1", f"arn:aws:sns:{b.REGION}:{b.ACCOUNT}:ddb-warden-alerts")
        text = run([java, *JVM_FLAGS, "-cp", cp, "dev.ddbwarden.bench.WarmInProcess", str(EVENT),
                    str(args.events or 20000), str(args.warmup or 3000)], env, out)
        print(text)
        (b.OUT / "warm-in-process.md").write_text(text + "\n")
        return
    with b.Moto(out / "moto.log") as moto:
        dynamodb, sns = b.admin_clients(moto.endpoint)
        b.recreate_table(dynamodb, TABLE)
        topic = sns.create_topic(Name="ddb-warden-alerts")["TopicArn"]
        stdout = run([java, *JVM_FLAGS, "-cp", cp, "dev.ddbwarden.bench.WarmPath", str(EVENT), TABLE,
                      str(args.events or 1000), str(args.warmup or 200)], handler_env(moto.endpoint, topic), out)
    text = ("LEDGER_TABLE and RECHECK_QUEUE_URL empty, as in bench/cold-start; every event needs the fix (the\n"
            "table is made unprotected before each iteration by an UpdateTable outside the timed region).\n\n"
            + stdout)
    print(text)
    (b.OUT / "warm.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
