"""moto_server, with DynamoDB's writes made atomic as they are in DynamoDB.

moto checks a write's condition and then writes, with nothing between the two: two requests at the same
moment can both pass `attribute_not_exists(...)`. Measured on a loaded 2-core machine: 8 concurrent
conditional PutItems on one key let more than one through in 5 rounds of 400. ddb-warden's ledger relies
on those conditions to let exactly one invocation win, so the runner and the tests serialize DynamoDB's
writes here. Everything else is moto_server unchanged (same arguments), except two lookups moto repeats on
every request whose answers never change while it runs, kept after the first: the list of its own modules (a
directory listing and a stat per module, in its host dispatch) and a response class's method names
(inspect.getmembers). Profiled under bench/sweep they were 17% of moto_server's CPU a request.

Exit status 3: moto cannot be imported by this Python (the caller then starts moto_server itself).
"""
import functools
import sys
import threading

try:
    from moto import backends
    from moto.core import responses
    from moto.dynamodb.models import DynamoDBBackend
    from moto.server import main
except ImportError as missing:
    sys.stderr.write(f"moto is not importable by {sys.executable}: {missing}\n")
    sys.exit(3)

_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")
_lock = threading.RLock()


def _atomic(write):
    @functools.wraps(write)
    def locked(*args, **kwargs):
        with _lock:
            return write(*args, **kwargs)
    return locked


for _name in _WRITES:
    if hasattr(DynamoDBBackend, _name):
        setattr(DynamoDBBackend, _name, _atomic(getattr(DynamoDBBackend, _name)))

_modules = backends.list_of_moto_modules
backends.list_of_moto_modules = functools.lru_cache(maxsize=None)(lambda: tuple(_modules()))
responses.method_names_from_class = functools.lru_cache(maxsize=None)(responses.method_names_from_class)

main(sys.argv[1:])
