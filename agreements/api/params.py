"""Query parameters shared by several endpoints, validated so that a bad value is a 400 naming it."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from agreements.domain import vocabulary as v
from agreements.queries.time import TimePoint


class TimeParams(serializers.Serializer):
    as_of = serializers.DateField(required=False, input_formats=["iso-8601"],
                                  help_text="Valid time: show the agreement as it stood on this date (default today).")
    known_at = serializers.DateTimeField(required=False, input_formats=["iso-8601"],
                                         help_text="Record time: show what the registry said at this moment "
                                                   "(ISO 8601; default now).")


class LanguageParams(serializers.Serializer):
    lang = serializers.RegexField(v.LANGUAGE_RE, required=False, max_length=v.MAX_LANGUAGE,
                                  help_text="Show the clauses in this authentic language where they have it "
                                            "(default: the agreement's first language).")


def parse(serializer_class, request) -> dict:
    ser = serializer_class(data=request.query_params)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


def time_point(request) -> tuple[TimePoint, dict]:
    """The requested TimePoint and the raw values it came from (for the ETag)."""
    data = parse(TimeParams, request)
    return TimePoint.of(data.get("as_of"), data.get("known_at")), data


def language(request) -> str | None:
    """The requested authentic language (`?lang=`), or None for the agreement's first language."""
    return parse(LanguageParams, request).get("lang")


LANGUAGE_PARAMETER = OpenApiParameter(
    "lang", OpenApiTypes.STR, description="Authentic language of the clauses (en, fr, tr...); default: the "
    "agreement's first language. The response lists the languages available.")

TIME_PARAMETERS = [
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="Valid time (YYYY-MM-DD); default today."),
    OpenApiParameter("known_at", OpenApiTypes.DATETIME, description="Record time (ISO 8601); default now."),
]
