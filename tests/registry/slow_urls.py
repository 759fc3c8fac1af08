"""The registry's own URLs plus two pages whose query sleeps (`?seconds=`): a slow query on demand."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import include, path


def _sleep(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(request.GET.get("seconds", "1"))])


def slow_page(request):
    _sleep(request)
    return HttpResponse("<p>answered</p>")


def slow_api(request):
    _sleep(request)
    return JsonResponse({"answered": True})


urlpatterns = [
    path("api/v1/slow/", slow_api),
    path("slow/", slow_page),
    path("", include("registry.urls")),
]
