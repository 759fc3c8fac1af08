import os

from django.core.wsgi import get_wsgi_application

from registry.chunked import read_chunked_bodies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")


def _body_limit():
    from django.conf import settings

    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


application = read_chunked_bodies(get_wsgi_application(), _body_limit)
