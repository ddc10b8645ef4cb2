"""Warm path of DeletionProtectionHandler against the bare SDK calls; see bench/warm."""
import argparse
import subprocess
import sys

import benchlib as b

TABLE = "orders"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=200)
    args = parser.parse_args()
    out = b.OUT / "warm"
    out.mkdir(parents=True, exist_ok=True)
    cp = ":".join(b.snapshot_classpath(out / "lib", "bench/jmh", "warden-bench-*.jar"))
    java = b.java_binary()
    with b.Moto(out / "moto.log") as moto:
        dynamodb, sns = b.admin_clients(moto.endpoint)
        b.recreate_table(dynamodb, TABLE)
        topic = sns.create_topic(Name="ddb-warden-alerts")["TopicArn"]
        env = b.aws_env(moto.endpoint, {
            "ALERT_TOPIC_ARN": topic, "LEDGER_TABLE": "", "RECHECK_QUEUE_URL": "",
            # In Lambda, EMF's environment names its type itself; the Local one, without a type, logs
            # "Unknown type" at every flush: a log line per event that a deployed function never writes.
            "AWS_EMF_ENVIRONMENT": "Local", "AWS_EMF_SERVICE_NAME": "ddb-warden",
            "AWS_EMF_SERVICE_TYPE": "AWS::Lambda::Function",
            "POWERTOOLS_SERVICE_NAME": "ddb-warden", "POWERTOOLS_METRICS_NAMESPACE": "ddb-warden",
            "POWERTOOLS_LOG_LEVEL": "INFO",
            "AWS_LAMBDA_FUNCTION_NAME": "DeletionProtectionFunction", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        })
        # Lambda's defaults on java17/java21 (C1 only, serial GC) and a 512 MB function's heap.
        command = [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m", "-cp", cp,
                   "dev.ddbwarden.bench.WarmPath", str(b.ROOT / "events" / "create-table-unprotected.json"), TABLE,
                   str(args.events), str(args.warmup)]
        with open(out / "handler-stderr.log", "w") as err:
            proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=err, text=True, cwd=b.ROOT)
    if proc.returncode != 0:
        sys.exit(f"bench: the warm benchmark failed (exit {proc.returncode}); see {out / 'handler-stderr.log'}")
    text = ("LEDGER_TABLE and RECHECK_QUEUE_URL empty, as in bench/cold-start; every event needs the fix (the\n"
            "table is made unprotected before each iteration by an UpdateTable outside the timed region).\n\n"
            + proc.stdout.strip())
    print(text)
    (b.OUT / "warm.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
