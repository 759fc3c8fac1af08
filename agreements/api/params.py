"""Query parameters shared by several endpoints, validated so that a bad value is a 400 naming it."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.fields import empty

from agreements.domain import vocabulary
from agreements.queries.time import LAST, BadTime, TimePoint, parse_date_parameter, parse_record_time


class EdtfDayField(serializers.CharField):
    """A date in EDTF (`2015`, `2015-06`, `2015-06-01`), read as its first or its last day."""

    def __init__(self, day=LAST, **kwargs):
        self.day = day
        super().__init__(max_length=100, trim_whitespace=False, **kwargs)

    def run_validation(self, data=serializers.empty):
        try:
            return parse_date_parameter(super().run_validation(data), self.day)
        except BadTime as exc:
            raise serializers.ValidationError(str(exc)) from None


class DayField(serializers.CharField):
    """A day, exactly as the schema declares it (vocabulary.DAY_RE: 2015-06-01, no impossible day)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=10, trim_whitespace=False, **kwargs)

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        if value in (None, ""):
            return None
        if not vocabulary.DAY_RE.match(value):
            raise serializers.ValidationError("A day such as 2015-06-01.")
        import datetime as dt

        return dt.date.fromisoformat(value)


class RecordTimeField(serializers.CharField):
    """A record time (vocabulary.RECORD_TIME_RE: a day, optionally a time and an offset; UTC without one)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=64, trim_whitespace=False, **kwargs)

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        if value and not vocabulary.RECORD_TIME_RE.match(value):  # as the schema declares it: no surrounding spaces either
            raise serializers.ValidationError(f"'{value[:64]}' is not a record time: enter an ISO 8601 timestamp "
                                              "such as 2024-06-01T00:00:00Z (a day, optionally a time and an offset).")
        try:
            return parse_record_time(value)
        except BadTime as exc:
            raise serializers.ValidationError(str(exc)) from None


class TimeParams(serializers.Serializer):
    as_of = EdtfDayField(required=False, help_text="Valid time: show the agreement as it stood on this date "
                                                   "(EDTF: 2015, 2015-06 or 2015-06-01, a year or month meaning "
                                                   "its last day; default today).")
    known_at = RecordTimeField(required=False, help_text="Record time: show what the registry said at this moment "
                                                         "(2024-06-01, 2024-06-01T12:00Z, "
                                                         "2024-06-01T12:00:00.5+02:00; default now).")


class LanguageParams(serializers.Serializer):
    lang = serializers.RegexField(vocabulary.LANGUAGE_RE, required=False, max_length=vocabulary.MAX_LANGUAGE,
                                  help_text="Show the clauses in this authentic language where they have it "
                                            "(default: the agreement's first language).")


def parse(serializer_class, request) -> dict:
    """The parameters `serializer_class` declares, checked (a 400 naming the field otherwise).

    A request that gives none of them gets the declared defaults without building the serializer: most reads
    give none, and that is a tenth of a cached detail's time."""
    fields = serializer_class._declared_fields
    if not any(name in request.query_params for name in fields):
        return {name: field.default for name, field in fields.items() if field.default is not empty}
    ser = serializer_class(data=request.query_params)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


def time_point(request) -> tuple[TimePoint, dict]:
    """The requested TimePoint and the raw values it came from (for the ETag)."""
    data = parse(TimeParams, request)
    return TimePoint.of(data.get("as_of"), data.get("known_at")), data


class PageParams(serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000, default=1)


def page_parameter(what: str) -> OpenApiParameter:
    """`?page=` as the schema declares it (the bounds PageParams holds it to); `what`: how many a page holds."""
    return OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000},
                            description=f"Page number, from 1; {what}")


def page_number(request) -> int:
    """`?page=` of a paged list, from 1 (a 400 naming the field otherwise)."""
    return parse(PageParams, request)["page"]


def language(request) -> str | None:
    """The requested authentic language (`?lang=`), or None for the agreement's first language."""
    return parse(LanguageParams, request).get("lang")


LANGUAGE_PARAMETER = OpenApiParameter(
    "lang", OpenApiTypes.STR, description="Authentic language of the clauses (en, fr, tr...); default: the "
    "agreement's first language. The response lists the languages available.")

TIME_PARAMETERS = [
    OpenApiParameter("as_of", OpenApiTypes.STR, description="Valid time, an EDTF date (2015, 2015-06 or 2015-06-01; "
                     "a year or a month means its last day); default today."),
    OpenApiParameter("known_at", OpenApiTypes.DATETIME, description="Record time (ISO 8601); default now."),
]
