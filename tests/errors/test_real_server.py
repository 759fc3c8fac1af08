"""Under a real gunicorn: chunked bodies are read and size-limited, and a database outage is a 503, not a 500.

Each server runs the embedded default (its own SQLite file in a temporary folder), so this runs alike in
both CI legs; the outage server points DATABASE_URL at a port where nothing listens.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "PACTA_TEST_DB_NAME")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp, **extra):
    env = {k: v for k, v in os.environ.items() if k not in SERVICES}
    return {**env, "PACTA_SQLITE_PATH": str(tmp / "db.sqlite3"), "PACTA_TESTING": "1", "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "registry.settings", **extra}


def _manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout


def _serve(env):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "registry.wsgi:application", "--bind",
                               f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(server.stderr.read().decode())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn on a migrated SQLite file, with an archivist token."""
    tmp = tmp_path_factory.mktemp("gunicorn")
    env = _env(tmp)
    _manage(env, "migrate", "--verbosity", "0")
    token = _manage(env, "create_api_token", "chunky", "--role", "archivist").strip().splitlines()[-1]
    process, port = _serve(env)
    yield port, token
    process.terminate()
    process.wait(10)


def _chunked_post(port, path, body: bytes, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    chunks = (body[i:i + 4096] for i in range(0, len(body), 4096))
    try:
        connection.request("POST", path, body=chunks, encode_chunked=True,
                           headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked", **headers})
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered (a 413) and closed before the whole body was sent: its answer is waiting
    response = connection.getresponse()
    return response.status, response.read()


def test_a_chunked_command_body_is_read(server):
    port, token = server
    body = json.dumps({"slug": "chunked-2025", "title": "Sent in chunks", "kind": "pact"}).encode()
    status, answer = _chunked_post(port, "/api/v1/agreements/", body, {"Authorization": f"Token {token}"})
    assert status == 201, answer
    assert json.loads(answer)["slug"] == "chunked-2025"


def test_a_chunked_body_over_the_limit_is_a_json_413(server):
    port, token = server
    body = json.dumps({"slug": "big-2025", "title": "x" * 2_000_000, "kind": "pact"}).encode()
    status, answer = _chunked_post(port, "/api/v1/agreements/", body, {"Authorization": f"Token {token}"})
    assert status == 413
    assert "larger than 1048576 bytes" in json.loads(answer)["detail"]


def test_a_body_with_a_content_length_is_still_read(server):
    port, token = server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/api/v1/agreements/", body=json.dumps({"slug": "plain-2025", "title": "Plain",
                                                                       "kind": "pact"}),
                       headers={"Content-Type": "application/json", "Authorization": f"Token {token}"})
    assert connection.getresponse().status == 201


@pytest.fixture(scope="module")
def server_without_database(tmp_path_factory):
    env = _env(tmp_path_factory.mktemp("outage"), DATABASE_URL=f"postgres://postgres@127.0.0.1:{_free_port()}/gone")
    process, port = _serve(env)
    yield port
    process.terminate()
    process.wait(10)


def test_a_database_outage_is_a_json_503_with_retry_after_on_the_api(server_without_database):
    connection = http.client.HTTPConnection("127.0.0.1", server_without_database, timeout=30)
    connection.request("GET", "/api/v1/agreements/")
    response = connection.getresponse()
    assert response.status == 503 and int(response.getheader("Retry-After")) > 0
    assert response.getheader("Content-Type") == "application/json"
    assert "database" in json.loads(response.read())["detail"]


def test_a_database_outage_is_a_503_page_in_the_browser(server_without_database):
    connection = http.client.HTTPConnection("127.0.0.1", server_without_database, timeout=30)
    connection.request("GET", "/")
    response = connection.getresponse()
    assert response.status == 503 and 'class="site-header"' in response.read().decode()
