"""The registry's own URLs plus a DRF view whose query sleeps (`?seconds=`): a timeout inside the API's views."""

from django.db import connection
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements.api.views.base import ApiMixin


class SlowView(ApiMixin, APIView):
    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(%s)", [float(request.GET.get("seconds", "1"))])
        return Response({"answered": True})


urlpatterns = [
    path("api/v1/slow-drf/", SlowView.as_view()),
    path("", include("registry.urls")),
]
