"""The WSGI application of `bench.api_load`'s gunicorn (bench only, never deployed): the registry's own, and at
`/bench/floor/` an answer that does no work at all, a 304 without Django.

What the floor serves per second is what gunicorn, the kernel and the load tool cost a request: no answer of this
server can be faster, so `floor / full GET` is the highest `304 / full GET` this server could show.
"""

from bench.serving import FLOOR
from registry.wsgi import application as registry_application


def application(environ, start_response):
    if environ.get("PATH_INFO") == FLOOR:
        start_response("304 Not Modified", [("ETag", '"floor"')])
        return []
    return registry_application(environ, start_response)
