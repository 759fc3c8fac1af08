"""A real PostgreSQL primary and streaming replica in a temporary folder, for one test session.

The machine's own PostgreSQL takes no replication connections, so the pair is built from scratch as the
`postgres` user: initdb, a `replication` line in pg_hba.conf, pg_basebackup -R from the primary into the
replica's folder, each on a free port. `stop()` stops both servers and removes the folder.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg


def bindir() -> Path:
    return Path(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*args: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, timeout=120)


@dataclass
class Pair:
    folder: Path
    primary_port: int
    replica_port: int

    def url(self, port: int, database: str = "pacta") -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    def _pg_ctl(self, data: str, *args: str) -> None:
        as_postgres(str(bindir() / "pg_ctl"), "-D", str(self.folder / data), *args)

    def _start(self, data: str, port: int) -> None:
        options = f"-p {port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl(data, "-o", options, "-l", str(self.folder / f"{data}.log"), "-w", "start")

    def query(self, port: int, sql: str, database: str = "pacta"):
        with psycopg.connect(self.url(port, database), autocommit=True) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchone() if cursor.description else None

    def wait_for_replica(self, timeout: float = 30) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        target = self.query(self.primary_port, "SELECT pg_current_wal_lsn()")[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            caught_up = self.query(self.replica_port, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0]
            if caught_up:
                return
            time.sleep(0.1)
        raise TimeoutError("the replica did not catch up")

    def stop_primary(self) -> None:
        self._pg_ctl("primary", "-m", "fast", "stop")

    def stop(self) -> None:
        for data in ("replica", "primary"):
            if (self.folder / data / "postmaster.pid").exists():
                try:
                    self._pg_ctl(data, "-m", "immediate", "stop")
                except subprocess.CalledProcessError:
                    pass
        shutil.rmtree(self.folder, ignore_errors=True)


def start_pair() -> Pair:
    folder = Path(tempfile.mkdtemp(prefix="pacta-pg-pair-"))
    shutil.chown(folder, "postgres")
    pair = Pair(folder, free_port(), free_port())
    try:
        as_postgres(str(bindir() / "initdb"), "-A", "trust", "-U", "postgres", "-N", "-D", str(folder / "primary"))
        with open(folder / "primary" / "pg_hba.conf", "a") as hba:
            hba.write("\nhost replication all 127.0.0.1/32 trust\n")
        pair._start("primary", pair.primary_port)
        as_postgres(str(bindir() / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(pair.primary_port), "-U", "postgres",
                    "-D", str(folder / "replica"), "-R", "-X", "stream")
        pair._start("replica", pair.replica_port)
        pair.query(pair.primary_port, "CREATE DATABASE pacta", database="postgres")
        assert pair.query(pair.replica_port, "SELECT pg_is_in_recovery()", database="postgres")[0]
    except BaseException:
        pair.stop()
        raise
    return pair
