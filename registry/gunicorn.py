"""gunicorn's configuration, from the environment: `gunicorn -c python:registry.gunicorn registry.wsgi`.

| variable | meaning | default |
|---|---|---|
| `GUNICORN_BIND` | address to listen on | `0.0.0.0:8000` |
| `GUNICORN_WORKERS` | worker processes | 2 × cores + 1, at most 8 |
| `GUNICORN_THREADS` | threads per worker | 1 |
| `GUNICORN_TIMEOUT` | seconds a worker may spend on one request before it is killed and replaced | 60 |
| `GUNICORN_GRACEFUL_TIMEOUT` | seconds workers get to finish their requests on a restart | 30 |
| `GUNICORN_KEEPALIVE` | seconds a connection waits for its next request (behind a proxy: above the proxy's) | 5 |
| `GUNICORN_MAX_REQUESTS` | requests after which a worker is replaced (0: never), with 10 % jitter | 1000 |

With PROMETHEUS_MULTIPROC_DIR set (metrics, registry/ops/metrics.py) a dead worker's live gauges are removed.
Logs go to stderr; gunicorn's access log is off (the registry writes its own JSON access line, with the
request id).
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("GUNICORN_WORKERS", min(8, multiprocessing.cpu_count() * 2 + 1))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
