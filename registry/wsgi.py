"""The WSGI application gunicorn serves (registry.gunicorn).

Once the application is loaded, with every view and URL pattern imported, the objects it made are frozen out of
the garbage collector's reach (`gc.freeze`): they live as long as the process, and each full collection would
otherwise walk all of them again, 10 to 25 ms paid by whichever request's allocations set it off (measured
with bench.participation: a 200-participant agreement's API detail spent a fifth of its time there).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

from registry.chunked import read_chunked_bodies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")


def _body_limit():
    from django.conf import settings

    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def settle() -> None:
    """Import every view (the URLconf is otherwise read at the first request), collect, and freeze what is left."""
    from django.urls import get_resolver

    get_resolver().url_patterns
    gc.collect()
    gc.freeze()


application = read_chunked_bodies(get_wsgi_application(), _body_limit)
settle()
