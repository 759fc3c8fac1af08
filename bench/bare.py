"""The bench's baseline server code: the project's own URLs plus one bare Django view (bench only, never deployed).

`bench.api_load` runs gunicorn with `DJANGO_SETTINGS_MODULE=bench.bare_settings`: the registry's settings with this
module as the URLconf. `/bench/bare/<slug>/` answers the stored JSON of an agreement's API detail from one indexed query
(`bench_document`, primary key slug): what the same framework does with no work in the way.
"""

from django.db import connection
from django.http import Http404, HttpResponse
from django.urls import include, path


def bare_detail(request, slug):
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM bench_document WHERE slug = %s", [slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404(slug)
    return HttpResponse(row[0], content_type="application/json")


urlpatterns = [
    path("bench/bare/<slug:slug>/", bare_detail),
    path("", include("registry.urls")),
]
