"""What the benches that time the registry through HTTP share: one gunicorn of the project, started on a port of
its own, and the wait until it answers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench.bare_wsgi's address of the server floor: an answer with no work at all.
FLOOR = "/bench/floor/"


def start_gunicorn(port_base: int, env: dict, workers: int, quiet: bool = True,
                   threads: int = 1, app: str = "registry.wsgi:application") -> tuple[subprocess.Popen, str]:
    """gunicorn serving `app` (registry.wsgi's) on 127.0.0.1 (a port from `port_base` by process id), and its base
    URL, once it answers /api/v1/. The caller terminates it."""
    port = port_base + os.getpid() % 1000
    output = subprocess.DEVNULL if quiet else None
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), app, "--bind",
                               f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
                               "--log-level", "warning"],
                              cwd=ROOT, env=env, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{base}/api/v1/", timeout=2).read()
            break
        except OSError:
            time.sleep(0.3)
    return server, base
