"""A remote registry played by a small HTTP server on 127.0.0.1, for the tests of `manage.py follow`: each route
answers crafted pages (tests/hostile/test_follow_remote.py) or a primary's real feed
(tests/api/test_follow_catching_up.py). The fixtures `remote` and `elsewhere` (a second origin) are in
tests/conftest.py."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FEED = "/api/v1/events/"


class FakeRemote:
    """An HTTP server on 127.0.0.1: `routes` maps a path (without query) to a function of the query string
    returning (status, headers, body bytes); every request's path and Authorization header is recorded."""

    def __init__(self):
        self.routes, self.requests, self.release = {}, [], threading.Event()
        remote = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path, _, query = self.path.partition("?")
                remote.requests.append((self.path, self.headers.get("Authorization")))
                answer = remote.routes.get(path)
                if answer is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                status, headers, body = answer(query)
                if status is None:  # hold the connection without answering until the test ends
                    remote.release.wait(30)
                    return
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def json(self, path, body, status=200, headers=None):
        data = json.dumps(body).encode()
        self.routes[path] = lambda query: (status, {"Content-Type": "application/json", **(headers or {})}, data)

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
