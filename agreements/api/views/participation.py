"""Participation downloads: one row per action (with the participant's status and entry into force as of the
requested moment), and one row per statement and language it is recorded in; JSON, or CSV with
`?format=csv`. The rows are queries.participation's, as the Parquet files under /data/ have them."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from agreements.queries.agreements import agreement_detail
from agreements.queries.participation import action_rows, statement_rows

from .. import params
from ..examples import SLUG
from ..renderers import CSVRenderer
from ..serializers import ErrorSerializer
from .base import ApiView


class ActionRowSerializer(serializers.Serializer):
    agreement = serializers.CharField()
    party = serializers.CharField()
    party_name = serializers.CharField()
    action = serializers.CharField()
    kind = serializers.CharField()
    marker = serializers.CharField(allow_blank=True)
    date = serializers.CharField(help_text="EDTF: when it was done")
    effective = serializers.CharField(allow_blank=True, help_text="EDTF: when it takes effect, if recorded")
    predecessor = serializers.CharField(allow_blank=True)
    territory = serializers.CharField(allow_blank=True)
    notification = serializers.CharField(allow_blank=True)
    status = serializers.CharField(help_text="The participant's status on as_of")
    in_force = serializers.DateField(allow_null=True)
    in_force_how = serializers.CharField(allow_blank=True)
    event_id = serializers.CharField()


class StatementRowSerializer(serializers.Serializer):
    agreement = serializers.CharField()
    statement_id = serializers.CharField()
    party = serializers.CharField()
    kind = serializers.CharField()
    language = serializers.CharField(help_text="The language of this row's text: one row per language recorded.")
    text = serializers.CharField()
    eids = serializers.CharField(allow_blank=True, help_text="space-separated eIds")
    made_at = serializers.CharField(allow_blank=True)
    date = serializers.CharField()
    narrowed = serializers.BooleanField()
    objects_to = serializers.CharField(allow_blank=True)
    opposes_entry_into_force = serializers.BooleanField()


class ActionRowsSerializer(serializers.Serializer):
    results = ActionRowSerializer(many=True)


class StatementRowsSerializer(serializers.Serializer):
    results = StatementRowSerializer(many=True)


class ActionsCSV(CSVRenderer):
    columns = list(ActionRowSerializer().fields)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return _csv(self.columns, data)


class StatementsCSV(CSVRenderer):
    columns = list(StatementRowSerializer().fields)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return _csv(self.columns, data)


def _csv(columns, data) -> bytes:
    import csv
    import io

    from ..renderers import _safe

    out = io.StringIO()
    if isinstance(data, dict) and "results" not in data:  # an error
        writer = csv.writer(out)
        writer.writerow(["detail"])
        writer.writerow([data.get("detail", "")])
        return out.getvalue().encode("utf-8")
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in data["results"]:
        writer.writerow({k: _safe(row.get(k)) for k in columns})
    return out.getvalue().encode("utf-8")


FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], description="csv: the rows as CSV.")


class ParticipationView(ApiView):
    """Every participant's actions, one row each, with its status and entry into force on `as_of` as known at
    `known_at`."""

    renderer_classes = [JSONRenderer, ActionsCSV, BrowsableAPIRenderer]

    @extend_schema(operation_id="agreements_participation_list", parameters=[SLUG, *params.TIME_PARAMETERS, FORMAT],
                   responses={(200, "application/json"): ActionRowsSerializer,
                              (200, "text/csv"): OpenApiTypes.STR, 400: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, slug):
        at, _ = params.time_point(request)
        view = agreement_detail(slug, at, self.include_unpublished)
        rows = action_rows(slug, view.participation)
        response = Response({"results": ActionRowSerializer(rows, many=True).data})
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="{slug}-participation.csv"'
        return response


class StatementsView(ApiView):
    """Every statement standing on `as_of` as known at `known_at`, one row per statement and language it is
    recorded in (the requested language first, `?lang=`)."""

    renderer_classes = [JSONRenderer, StatementsCSV, BrowsableAPIRenderer]

    @extend_schema(operation_id="agreements_statements_list",
                   parameters=[SLUG, *params.TIME_PARAMETERS, params.LANGUAGE_PARAMETER, FORMAT],
                   responses={(200, "application/json"): StatementRowsSerializer,
                              (200, "text/csv"): OpenApiTypes.STR, 400: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, slug):
        at, _ = params.time_point(request)
        view = agreement_detail(slug, at, self.include_unpublished, params.language(request))
        rows = [{**row, "eids": " ".join(row["eids"])} for row in statement_rows(slug, view.participation)]
        response = Response({"results": StatementRowSerializer(rows, many=True).data})
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="{slug}-statements.csv"'
        return response
