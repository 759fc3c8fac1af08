"""Chunked request bodies (Transfer-Encoding: chunked, no Content-Length) under a WSGI server such as gunicorn.

Django reads at most Content-Length bytes of the body, so a chunked body reads as empty (a valid command
became 400 "Give the command type") and no size limit applies to it. This wrapper reads such a body
itself, at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes (a larger one is a 413, JSON on /api/), and hands Django
the bytes with their length, so every later check (the API's parser, forms) sees an ordinary body.
"""

from __future__ import annotations

import io
import json


def _too_large(environ, start_response, limit: int):
    detail = f"The request body is larger than {limit} bytes."
    if environ.get("PATH_INFO", "").startswith("/api/"):
        body, kind = json.dumps({"detail": detail}).encode(), "application/json"
    else:
        body, kind = detail.encode(), "text/plain; charset=utf-8"
    start_response("413 Request Entity Too Large", [("Content-Type", kind), ("Content-Length", str(len(body))),
                                                    ("Connection", "close")])
    return [body]


def read_chunked_bodies(app, limit_setting=lambda: None):
    def application(environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            limit = limit_setting()
            stream = environ["wsgi.input"]
            body = stream.read(limit + 1) if limit is not None else stream.read()
            if limit is not None and len(body) > limit:
                return _too_large(environ, start_response, limit)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)

    return application
