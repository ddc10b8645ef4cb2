"""Runs bench/baseline/handler.py once, the way Lambda's Python runtime does, in a process of its own:
imports the handler module (the init phase: import boto3, create the clients), then calls the handler
once with the event (the first invocation). Prints Lambda's REPORT line to standard error, in the
format of dev.ddbwarden.local.LambdaBootstrap, so both sides are read by the same parser.

Usage: python3 bootstrap.py EVENT.json
"""
import importlib
import json
import sys
import time

init_start = time.perf_counter()
handler_module = importlib.import_module("handler")
init_ms = (time.perf_counter() - init_start) * 1000

with open(sys.argv[1]) as f:
    event = json.load(f)
start = time.perf_counter()
result = handler_module.handler(event, None)
duration_ms = (time.perf_counter() - start) * 1000
print(f"REPORT Init Duration: {init_ms:.0f} ms\tDuration: {duration_ms:.0f} ms", file=sys.stderr)
print(json.dumps(result))
