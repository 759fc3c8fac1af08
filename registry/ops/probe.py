"""Health probes for the container image (Dockerfile HEALTHCHECK, docker-compose.yml): exit 0 healthy, 1 not.

    python -m registry.ops.probe web [--live]   GET /readyz (or /healthz) on this container's gunicorn
    python -m registry.ops.probe worker         this container's Celery worker answers a ping (through the broker)
    python -m registry.ops.probe beat           Celery beat wrote its schedule file recently

- web: the port from GUNICORN_BIND (default 8000), the Host header from PACTA_PROBE_HOST or the first of
  DJANGO_ALLOWED_HOSTS (a Host Django refuses would answer 400), a 5-second timeout.
- worker: the node `celery@<hostname>` (CELERY_WORKER_NAME overrides), via `app.control.ping`.
- beat: beat saves its schedule after every job it sends (CELERY_BEAT_SYNC_EVERY = 1) and sends the outbox
  relay every PACTA_RELAY_INTERVAL seconds, so the file (CELERY_BEAT_SCHEDULE_FILE, default
  /tmp/celerybeat-schedule, and the files dbm adds a suffix to) is younger than 3 relay intervals (at least
  120 s) while beat is alive.
"""

from __future__ import annotations

import glob
import os
import socket
import sys
import time
import urllib.error
import urllib.request

SCHEDULE = "/tmp/celerybeat-schedule"


def web(path="/readyz") -> bool:
    bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
    port = bind.rsplit(":", 1)[-1]
    host = os.environ.get("PACTA_PROBE_HOST") or (os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")[0].strip()
                                                  or "localhost")
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def worker() -> bool:
    from registry.celery import app

    name = os.environ.get("CELERY_WORKER_NAME") or f"celery@{socket.gethostname()}"
    try:
        replies = app.control.ping([name], timeout=5)
    except Exception:
        return False
    return any(name in reply and reply[name].get("ok") == "pong" for reply in replies or [])


def beat() -> bool:
    path = os.environ.get("CELERY_BEAT_SCHEDULE_FILE", SCHEDULE)
    interval = float(os.environ.get("PACTA_RELAY_INTERVAL", "30"))
    files = [f for f in glob.glob(glob.escape(path) + "*") if os.path.isfile(f)]
    if not files:
        return False
    newest = max(os.path.getmtime(f) for f in files)
    return time.time() - newest < max(120.0, 3 * interval)


def main(argv) -> int:
    kind = argv[1] if len(argv) > 1 else "web"
    if kind == "web":
        ok = web("/healthz" if "--live" in argv else "/readyz")
    elif kind == "worker":
        ok = worker()
    elif kind == "beat":
        ok = beat()
    else:
        print(f"unknown probe {kind!r}: web, worker or beat", file=sys.stderr)
        return 2
    print(f"{kind}: {'healthy' if ok else 'unhealthy'}")
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    sys.exit(main(sys.argv))
