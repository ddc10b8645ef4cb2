"""Shared helpers of the bench/ scripts: a moto_server on loopback, statistics, tables, the machine.

Nothing here is timed. Only the Python standard library is used, plus boto3 for setting up and
resetting the local AWS (the same boto3 the baseline handler measures).
"""
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account; the events in events/ name it
LOOPBACK = "127.0.0.1"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class Moto:
    """moto_server on a free loopback port (never any other address), stopped on exit.

    Every request moto serves is one line of its log; `requests()` counts them, which tells how many
    AWS calls a process under test made, whatever its language.
    """

    def __init__(self, log_path):
        self.port = free_port()
        self.endpoint = f"http://{LOOPBACK}:{self.port}"
        self.log_path = Path(log_path)
        self.process = None

    def __enter__(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        executable = os.environ.get("MOTO_SERVER", "moto_server")
        if shutil.which(executable) is None:
            sys.exit(f"bench: {executable} is not on the PATH (pip install 'moto[server]')")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen([executable, "-H", LOOPBACK, "-p", str(self.port)],
                                        stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"bench: moto_server exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.__exit__(None, None, None)
        sys.exit(f"bench: moto_server did not answer on {self.endpoint} within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def requests(self):
        """Requests served so far (one werkzeug access-log line each)."""
        self._log.flush()
        with open(self.log_path, errors="replace") as f:
            return sum(1 for line in f if '" 200 ' in line or re.search(r'HTTP/1\.[01]" \d{3} ', line))


def aws_env(endpoint, extra=None):
    """A clean environment for a process under test: local AWS through the SDKs' own settings."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        # Keep both SDKs off ~/.aws and the instance-metadata service: they must not read a real profile.
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    env.update(extra or {})
    return env


def admin_clients(endpoint):
    """boto3 clients for setting up and resetting the local AWS (never timed)."""
    import boto3
    kw = dict(endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing",
              aws_secret_access_key="testing")
    return boto3.client("dynamodb", **kw), boto3.client("sns", **kw)


def recreate_table(dynamodb, name):
    """A fresh table without deletion protection (protection is turned off first so it can be deleted)."""
    try:
        dynamodb.update_table(TableName=name, DeletionProtectionEnabled=False)
        dynamodb.delete_table(TableName=name)
    except dynamodb.exceptions.ResourceNotFoundException:
        pass
    dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          DeletionProtectionEnabled=False)


def spread(values):
    """(median, min, max) of a non-empty list."""
    return statistics.median(values), min(values), max(values)


def fmt_spread(values, digits=0, scale=1.0):
    med, lo, hi = spread([v * scale for v in values])
    f = f"{{:.{digits}f}}"
    return f"{f.format(med)} ({f.format(lo)}-{f.format(hi)})"


def table(headers, rows):
    """A Markdown table (also readable as plain text)."""
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def java_binary():
    """The JVM under test: $JAVA_HOME/bin/java, else java on the PATH, resolved to its real path."""
    home = os.environ.get("JAVA_HOME")
    candidate = Path(home) / "bin" / "java" if home else shutil.which("java")
    if not candidate or not Path(candidate).exists():
        sys.exit("bench: no java (set JAVA_HOME or put java on the PATH)")
    return str(Path(candidate).resolve())


def java25_binary():
    """A JDK 25 (for the AOT-cache rows), from $JAVA25_HOME or /usr/lib/jvm, or None."""
    home = os.environ.get("JAVA25_HOME")
    candidates = [Path(home)] if home else sorted(Path("/usr/lib/jvm").glob("*25*"))
    for c in candidates:
        java = c / "bin" / "java"
        if java.exists():
            return str(java.resolve())
    return None


def java_version(java):
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    return " / ".join(out)


def snapshot_classpath(dest, module="local", jar_glob="warden-local-*.jar", root=ROOT):
    """Copies a module's runtime classpath (MODULE/target/classpath.txt and the module's own jar; by
    default the local runner's) into dest/, so a rebuild by someone else during the run cannot change
    what is measured (a class-data archive is also only valid for the exact jars it was made from).
    Returns the jars in classpath order. root: the checkout to take them from (another's, to compare builds)."""
    own_jar = sorted((root / module / "target").glob(jar_glob))
    cp_file = root / module / "target" / "classpath.txt"
    if not own_jar or not cp_file.exists():
        sys.exit(f"bench: {module}/target is not built (./mvnw -B -DskipTests package)")
    entries = [own_jar[0]] + [Path(p) for p in cp_file.read_text().strip().split(os.pathsep) if p]
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    jars = []
    for i, entry in enumerate(entries):
        if entry.is_dir():
            sys.exit(f"bench: {entry} is a directory; class-data sharing needs jars")
        target = dest / f"{i:02d}-{entry.name}"
        shutil.copy2(entry, target)
        jars.append(str(target))
    return jars


def artifact_classpath(dest, root=ROOT):
    """Copies the deployable artifact (functions/warden/target/lambda/lib/warden.jar, what sam build ships) and
    the local runner's jar (LambdaBootstrap) into dest/: the classpath ./warden invoke gives a handler's JVM.
    Returns the two jars in classpath order."""
    artifact = root / "functions" / "warden" / "target" / "lambda" / "lib" / "warden.jar"
    runner = root / "local" / "target" / "runner" / "warden-local-runner.jar"
    if not artifact.exists() or not runner.exists():
        sys.exit("bench: the artifact or the runner jar is not built (./mvnw -B -DskipTests package)")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    jars = []
    for i, jar in enumerate((artifact, runner)):
        target = dest / f"{i:02d}-{jar.name}"
        shutil.copy2(jar, target)
        jars.append(str(target))
    return jars


def machine():
    """What RESULTS.md says about the machine."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    java = java_binary()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "nproc": str(os.cpu_count()),
        "memory": mem,
        "cpu": cpu,
        "kernel": platform.release(),
        "java": f"{java}: {java_version(java)}",
        "python": f"{sys.executable}: Python {platform.python_version()}",
    }


def write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))
