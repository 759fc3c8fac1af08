"""Output serializers: the contract downstream applications rely on (DESIGN.md fixes the names).

They only shape what the `agreements.queries` package returns; they query nothing themselves.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.domain import vocabulary as v


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


class LifecycleSerializer(serializers.Serializer):
    action = serializers.CharField()
    date = serializers.CharField(help_text="EDTF")
    party = serializers.CharField(allow_null=True)
    event_id = serializers.CharField()


class PartyLifecycleSerializer(serializers.Serializer):
    action = serializers.CharField()
    date = serializers.CharField(help_text="EDTF")
    event_id = serializers.CharField()


class AgreementPartySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField(allow_blank=True)
    lifecycle = PartyLifecycleSerializer(many=True)


class ClauseSerializer(serializers.Serializer):
    eid = serializers.CharField()
    number = serializers.CharField(allow_blank=True)
    heading = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    text_kind = serializers.ChoiceField(choices=v.TEXT_KINDS)
    language = serializers.CharField()
    parent = serializers.CharField(allow_blank=True)
    effective = serializers.CharField(allow_blank=True, help_text="EDTF date the version took effect")
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    amended_by = serializers.CharField(allow_blank=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, entry) -> str:
        slug = self.context["slug"]
        return _absolute(self.context.get("request"), reverse("api:clause-detail", args=[slug, entry.eid]))


class RelationOutSerializer(serializers.Serializer):
    relation = serializers.CharField()
    target = serializers.CharField(source="target_slug")
    note = serializers.CharField(allow_blank=True)


class RelationInSerializer(serializers.Serializer):
    relation = serializers.CharField()
    source = serializers.CharField(source="agreement.slug")
    note = serializers.CharField(allow_blank=True)


class CitedSourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    url = serializers.CharField(allow_blank=True)


class CitationSerializer(serializers.Serializer):
    citation_id = serializers.CharField()
    source = CitedSourceSerializer()
    locator = serializers.CharField(allow_blank=True)
    quote = serializers.CharField(allow_blank=True)
    supports = serializers.CharField(allow_blank=True)


class RelationsSerializer(serializers.Serializer):
    outgoing = RelationOutSerializer(many=True, source="relations_out")
    incoming = RelationInSerializer(many=True, source="relations_in")


class AgreementDetailSerializer(serializers.Serializer):
    slug = serializers.CharField()
    work_uri = serializers.CharField()
    title = serializers.CharField()
    titles = serializers.DictField(child=serializers.CharField())
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=v.STATUSES)
    publication = serializers.ChoiceField(choices=v.PUBLICATION_STATES)
    summary = serializers.CharField(allow_blank=True)
    place = serializers.CharField(allow_blank=True)
    work_date = serializers.CharField(allow_blank=True, help_text="EDTF")
    version = serializers.IntegerField(help_text="The stream version this view reflects.")
    as_of = serializers.DateField(source="at.as_of")
    known_at = serializers.DateTimeField(source="at.known_at")
    existed = serializers.BooleanField(help_text="False when the agreement did not exist yet on as_of.")
    parties = AgreementPartySerializer(many=True)
    lifecycle = LifecycleSerializer(many=True)
    clauses = serializers.SerializerMethodField()
    relations = serializers.SerializerMethodField()
    citations = CitationSerializer(many=True)

    @extend_schema_field(ClauseSerializer(many=True))
    def get_clauses(self, view):
        return ClauseSerializer(view.clauses, many=True, context={**self.context, "slug": view.slug}).data

    @extend_schema_field(RelationsSerializer)
    def get_relations(self, view):
        return RelationsSerializer(view).data


class AgreementListSerializer(serializers.Serializer):
    slug = serializers.CharField()
    work_uri = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=v.STATUSES, help_text="Status today.")
    publication = serializers.ChoiceField(choices=v.PUBLICATION_STATES)
    work_date = serializers.CharField(allow_blank=True)
    signed = serializers.DateField(source="signed_lower", allow_null=True,
                                   help_text="Earliest possible day of the first signature.")
    in_force = serializers.DateField(source="in_force_lower", allow_null=True,
                                     help_text="Earliest possible day of the first entry into force.")
    parties = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_parties(self, record):
        return [p.party_code for p in record.current_parties]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, record) -> str:
        return _absolute(self.context.get("request"), reverse("api:agreement-detail", args=[record.slug]))


class ClauseVersionSerializer(serializers.Serializer):
    eid = serializers.CharField()
    number = serializers.CharField(allow_blank=True)
    heading = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    text_kind = serializers.CharField()
    language = serializers.CharField()
    change = serializers.CharField(help_text="added, amended, repealed or renumbered")
    repealed = serializers.BooleanField()
    effective = serializers.CharField(allow_blank=True)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    known_from = serializers.DateTimeField()
    amended_by = serializers.CharField(allow_blank=True)
    event_id = serializers.CharField()


class ReferenceOutSerializer(serializers.Serializer):
    target = serializers.CharField(source="target_slug")
    target_eid = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class ReferenceInSerializer(serializers.Serializer):
    source = serializers.CharField(source="agreement.slug")
    eid = serializers.CharField()
    target_eid = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class FindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    severity = serializers.CharField()
    subject_type = serializers.CharField()
    agreement = serializers.CharField(source="agreement.slug", allow_null=True, default=None)
    source = serializers.CharField(source="source.key", allow_null=True, default=None)
    subject = serializers.CharField(allow_blank=True)
    message = serializers.CharField()
    first_seen = serializers.DateTimeField()
    last_seen = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)


class ClauseDetailSerializer(serializers.Serializer):
    agreement = serializers.CharField(source="agreement.slug")
    clause_id = serializers.CharField()
    eid = serializers.CharField()
    as_of = serializers.DateField(source="at.as_of")
    known_at = serializers.DateTimeField(source="at.known_at")
    text = serializers.CharField(source="current.text", allow_null=True, default=None,
                                 help_text="The text as of the requested time; null if the clause did not exist.")
    current = ClauseVersionSerializer(allow_null=True)
    versions = ClauseVersionSerializer(many=True)
    references_out = ReferenceOutSerializer(many=True)
    references_in = ReferenceInSerializer(many=True)
    citations = CitationSerializer(many=True)
    findings = FindingSerializer(many=True)


class EventSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    stream_id = serializers.CharField()
    stream_version = serializers.IntegerField()
    event_id = serializers.CharField()
    type = serializers.CharField()
    schema_version = serializers.IntegerField()
    payload = serializers.DictField()
    effective = serializers.CharField(allow_blank=True)
    recorded_at = serializers.DateTimeField()


class FeedPageSerializer(serializers.Serializer):
    after = serializers.IntegerField()
    limit = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    results = EventSerializer(many=True)


class CommandResultSerializer(serializers.Serializer):
    slug = serializers.CharField()
    version = serializers.IntegerField(help_text="The stream version after the command.")
    replayed = serializers.BooleanField(help_text="True when an Idempotency-Key retry found the command done.")
    events = EventSerializer(many=True)


class PartyNameSerializer(serializers.Serializer):
    name = serializers.CharField()
    language = serializers.CharField()
    valid_from = serializers.CharField(allow_blank=True)
    valid_to = serializers.CharField(allow_blank=True)


class PartySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    iso3166 = serializers.CharField(allow_blank=True)
    wikidata = serializers.CharField(allow_blank=True)
    predecessor = serializers.CharField(source="predecessor.code", allow_null=True, default=None)
    successors = serializers.SerializerMethodField()
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)
    note = serializers.CharField(allow_blank=True)
    names = PartyNameSerializer(many=True, source="names.all")
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_successors(self, party):
        return [s.code for s in party.successors.all()]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, party) -> str:
        return _absolute(self.context.get("request"), reverse("api:party-detail", args=[party.code]))


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    author = serializers.CharField(allow_blank=True)
    published = serializers.CharField(allow_blank=True, help_text="EDTF")
    url = serializers.CharField(allow_blank=True)
    language = serializers.CharField()
    kind = serializers.CharField()
    perspective = serializers.CharField(allow_blank=True)
    snapshot_sha256 = serializers.CharField(allow_blank=True)
    snapshot_taken_at = serializers.DateTimeField(allow_null=True)


class SearchHitSerializer(serializers.Serializer):
    agreement = serializers.CharField(source="slug")
    title = serializers.CharField()
    eid = serializers.CharField()
    number = serializers.CharField(allow_blank=True)
    heading = serializers.CharField(allow_blank=True)
    text_kind = serializers.CharField()
    snippet = serializers.CharField(allow_blank=True, help_text="Plain text; each hit is wrapped in « ».")
    rank = serializers.FloatField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, hit) -> str:
        return _absolute(self.context.get("request"), reverse("api:clause-detail", args=[hit.slug, hit.eid]))


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False,
                                   help_text="Field (or parameter, or header) -> messages.")
    rule = serializers.CharField(required=False, help_text="409: the domain rule the command breaks.")
    field = serializers.CharField(required=False, allow_null=True)
    current_version = serializers.IntegerField(required=False, help_text="412: the agreement's current version.")
