"""Benchmark of the transparency log: what the Merkle tree costs the append path, and what proofs cost.

    python -m bench.tlog [--commands 3000] [--sizes 10000,2000000] [--samples 200]

(a) append throughput through `store.append` (commands of 5 events, each its own transaction, as
    bench.store's `store` writer) with the tree against the same appends without it (the leaf hashing and the
    tree rows patched out), interleaved in short rounds in the same run: ratio with/without. 3,000 commands by
    default (15,000 events each way): with 600, a run on a loaded machine (load 2.7 on 2 cores) read 0.83 where
    runs of 3,000 beside it read 0.96 and 1.02;
(b) at 10,000 real events: the API's inclusion and consistency proof (GET /api/v1/log/inclusion and
    /consistency through Django's test client, a whole request) and signing a checkpoint (what the append path
    never does: beat, the nudge after a commit, or the end of a bulk load signs one);
(c) for each size in --sizes, a tree of that many leaves written straight into pacta_log_hash (synthetic leaves:
    the proofs read only the tree): the stored hashes an inclusion / consistency proof reads, its length, its
    bytes in the JSON answer, and the median latency of making it (one query plus folding) over --samples
    random leaves.

The report ends with the machine's load average (1, 5, 15 minutes) before and after the run: read the figures
with it.

PostgreSQL: BENCH_TLOG_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pacta_bench_tlog), a database it
creates, migrates and empties itself. Machines are shared and noisy: read the ratios and the growth.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid

BENCH_URL = os.environ.get("BENCH_TLOG_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pacta_bench_tlog")


def setup_django():
    from bench.store import ensure_database

    ensure_database(BENCH_URL)
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ.setdefault("PACTA_LOG_GENERATE_KEY", "1")
    os.environ.setdefault("PACTA_LOG_DEFAULT_KEY_FILE", f"/tmp/pacta-bench-tlog-{os.getpid()}.key")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def empty_log():
    from django.db import connection

    from registry.eventstore import store, triggers

    triggers.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE pacta_event, pacta_log_hash, pacta_log_cosignature, pacta_log_checkpoint")
            cursor.execute("DELETE FROM pacta_event_position")
    finally:
        triggers.install(connection)
    store.last_head.forget(connection)


def bench_append(commands: int) -> dict:
    """Events/s of store.append with and without the tree, interleaved in rounds of 20 commands."""
    from unittest import mock

    from django.db import connection

    from registry.eventstore import merkle, store, tree
    from registry.eventstore.store import Head, NewEvent

    run = uuid.uuid4().hex[:8]
    payload = {"text": "Article text " * 20, "eid": "art_2", "effective": "2010-08-16"}

    def batch():
        return [NewEvent(type="BenchNoted", payload=payload, effective="2010-08-16") for _ in range(5)]

    def treeless():
        constant = b"\x00" * 32
        return mock.patch.multiple(store, _grown=lambda head, leaves: ([], None)), \
            mock.patch.object(merkle, "leaf_hash", lambda data: constant)

    def restore_tree():
        """Build the tree of the events appended without it (untimed), and give the connection its head."""
        head = store.head()
        tree.catch_up(head.position)
        store.last_head.remember(connection, Head(head.position, head.hash, head.recorded_at,
                                                  tuple(tree.frontier(head.position))))

    store.append(f"bench:{run}:warm", 0, batch())
    elapsed = {"with tree": 0.0, "without tree": 0.0}
    per_round = 20
    rounds = max(1, commands // per_round)
    for r in range(rounds):
        order = ["with tree", "without tree"] if r % 2 == 0 else ["without tree", "with tree"]
        for name in order:
            if name == "with tree":
                t0 = time.perf_counter()
                for i in range(per_round):
                    store.append(f"bench:{run}:t:{r}:{i}", 0, batch())
                elapsed[name] += time.perf_counter() - t0
            else:
                patch_grown, patch_leaf = treeless()
                with patch_grown, patch_leaf:
                    t0 = time.perf_counter()
                    for i in range(per_round):
                        store.append(f"bench:{run}:n:{r}:{i}", 0, batch())
                    elapsed[name] += time.perf_counter() - t0
                restore_tree()
    events = rounds * per_round * 5
    rates = {name: events / seconds for name, seconds in elapsed.items()}
    rates["ratio"] = rates["with tree"] / rates["without tree"]
    return rates


def fill_events(n: int):
    """Append events until the log holds n (bulk appends of 50 streams x 20 events)."""
    from registry.eventstore import store
    from registry.eventstore.store import NewEvent, StreamAppend

    run = uuid.uuid4().hex[:8]
    k = 0
    while store.head().position < n:
        missing = n - store.head().position
        appends = []
        for s in range(50):
            take = min(20, missing - 20 * s)
            if take <= 0:
                break
            appends.append(StreamAppend(f"fill:{run}:{k}:{s}", 0,
                                        [NewEvent("BenchNoted", {"n": j, "text": "x" * 200}) for j in range(take)]))
        store.append_streams(appends)
        k += 1


def median_ms(fn, samples):
    times = []
    for args in samples:
        t0 = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench_api(samples: int) -> dict:
    from django.test import Client
    from django.test.utils import override_settings

    from registry.eventstore import checkpoints, store

    size = store.head().position
    client = Client()
    rng = random.Random(1)
    positions = [(rng.randint(1, size),) for _ in range(samples)]
    with override_settings(PACTA_API_ANON_RATE=None, PACTA_LOG_CHECKPOINT_INTERVAL=0):
        def inclusion(p):
            response = client.get("/api/v1/log/inclusion", {"position": p, "tree_size": size})
            assert response.status_code == 200, response.content
            return response

        def consistency(first):
            response = client.get("/api/v1/log/consistency", {"first": first, "second": size})
            assert response.status_code == 200, response.content
            return response

        body = inclusion(positions[0][0]).content
        sign = median_ms(lambda: checkpoints.issue(size), [()] * 20)
        return {
            "events": size,
            "inclusion request ms": median_ms(inclusion, positions),
            "consistency request ms": median_ms(consistency, positions),
            "inclusion answer bytes": len(body),
            "checkpoint signing ms": sign,
        }


def synthetic_tree(n: int):
    """pacta_log_hash holding a tree of n synthetic leaves (the proofs read nothing else)."""
    import hashlib

    from django.db import connection

    from registry.eventstore import merkle

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE pacta_log_hash")
    front, size, index = [], 0, 0
    connection.ensure_connection()
    raw = connection.connection  # autocommit, as Django keeps it: the COPY is its own transaction
    with raw.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # the project's per-statement bound is for requests
    with raw.cursor() as cursor, cursor.copy("COPY pacta_log_hash (id, hash) FROM STDIN") as copy:
        for i in range(n):
            for h in merkle.append_leaf(front, size, merkle.leaf_hash(hashlib.sha256(i.to_bytes(8, "big")).digest())):
                copy.write_row((index, h))
                index += 1
            size += 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pacta_log_hash")
    return merkle.fold(front)


def bench_proofs(n: int, samples: int) -> dict:
    from registry.eventstore import merkle, tree

    t0 = time.perf_counter()
    root = synthetic_tree(n)
    built = time.perf_counter() - t0
    rng = random.Random(n)
    leaves = [(rng.randrange(n), n) for _ in range(samples)]
    firsts = [(rng.randint(1, n - 1), n) for _ in range(samples)]
    sample = leaves[0][0]
    proof = tree.inclusion(sample, n)
    leaf = tree.read([merkle.stored_index(0, sample)])[0]
    assert merkle.verify_inclusion(sample, n, leaf, proof, root) and tree.root_at(n) == root
    reads = [len(merkle.needed(merkle.inclusion_plan(i, n))) for i, _ in leaves]
    creads = [len(merkle.needed(merkle.consistency_plan(m, n))) for m, _ in firsts]
    return {
        "leaves": n,
        "build s": built,
        "inclusion hashes (max)": max(len(merkle.inclusion_plan(i, n)) for i, _ in leaves),
        "inclusion rows read (median/max)": (statistics.median(reads), max(reads)),
        "inclusion JSON bytes of hashes (max)": 47 * max(len(merkle.inclusion_plan(i, n)) for i, _ in leaves),
        "inclusion ms": median_ms(tree.inclusion, leaves),
        "consistency hashes (max)": max(len(merkle.consistency_plan(m, n)) for m, _ in firsts),
        "consistency rows read (median/max)": (statistics.median(creads), max(creads)),
        "consistency ms": median_ms(tree.consistency, firsts),
        "root ms": median_ms(tree.root_at, [(n,)] * samples),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--sizes", default="10000,2000000")
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args(argv)
    setup_django()
    empty_log()
    report = {"load average before": os.getloadavg()}
    t0 = time.perf_counter()
    report["append (events/s)"] = bench_append(args.commands)
    print(json.dumps({"append (events/s)": report["append (events/s)"]}), file=sys.stderr)
    fill_events(10_000)
    report["api at 10k events"] = bench_api(args.samples)
    print(json.dumps({"api at 10k events": report["api at 10k events"]}), file=sys.stderr)
    report["fill to 10k s"] = time.perf_counter() - t0
    for n in (int(s) for s in args.sizes.split(",")):
        report[f"proofs at {n:,} leaves"] = bench_proofs(n, args.samples)
        print(json.dumps({f"proofs at {n:,} leaves": report[f"proofs at {n:,} leaves"]}), file=sys.stderr)
    empty_log()
    report["load average after"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
