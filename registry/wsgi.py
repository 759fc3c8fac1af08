"""The WSGI application gunicorn serves (registry.gunicorn): Django's, with chunked request bodies read
(registry/chunked.py), and remembered revalidations answered with their 304 before Django runs
(registry/revalidation.py).

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


django_application = get_wsgi_application()

from registry.revalidation import answer_at_the_door  # noqa: E402 - reads the models: after the apps are loaded

# Remembered revalidations answered at the door (registry/revalidation.py), before Django's handler.
application = answer_at_the_door(read_chunked_bodies(django_application, _body_limit))
settle()
