"""Query parameters shared by several endpoints, validated so that a bad value is a 400 naming it."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from agreements.queries.time import TimePoint

FEED_MAX_LIMIT = 1000


class TimeParams(serializers.Serializer):
    as_of = serializers.DateField(required=False, input_formats=["iso-8601"],
                                  help_text="Valid time: show the agreement as it stood on this date (default today).")
    known_at = serializers.DateTimeField(required=False, input_formats=["iso-8601"],
                                         help_text="Record time: show what the registry said at this moment "
                                                   "(ISO 8601; default now).")


class FeedParams(serializers.Serializer):
    after = serializers.IntegerField(required=False, default=0, min_value=0, max_value=2**62,
                                     help_text="Return events after this position.")
    limit = serializers.IntegerField(required=False, default=100, min_value=1, max_value=FEED_MAX_LIMIT,
                                     help_text=f"At most this many events (1..{FEED_MAX_LIMIT}).")


def parse(serializer_class, request) -> dict:
    ser = serializer_class(data=request.query_params)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


def time_point(request) -> tuple[TimePoint, dict]:
    """The requested TimePoint and the raw values it came from (for the ETag)."""
    data = parse(TimeParams, request)
    return TimePoint.of(data.get("as_of"), data.get("known_at")), data


TIME_PARAMETERS = [
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="Valid time (YYYY-MM-DD); default today."),
    OpenApiParameter("known_at", OpenApiTypes.DATETIME, description="Record time (ISO 8601); default now."),
]
FEED_PARAMETERS = [
    OpenApiParameter("after", OpenApiTypes.INT, description="Return events after this position (default 0)."),
    OpenApiParameter("limit", OpenApiTypes.INT, description=f"Page size, 1..{FEED_MAX_LIMIT} (default 100)."),
]
