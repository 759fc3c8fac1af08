"""Output serializers: the contract downstream applications rely on (docs/api.md names its fields).

They only shape what the `agreements.queries` package returns; they query nothing themselves.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.domain import vocabulary
from agreements.queries.citations import quote_check_of
from agreements.queries.participation import participant_fields
from agreements.queries.events import record_time_text


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


def clauses_page_url(request, slug, page: int, at=None, route: str = "api:agreement-clauses") -> str:
    """A page of an agreement's clause list (or of another of its paged lists: `route`), keeping the time and
    language the request asked for (as `at`, the time it resolved to, states them: `as_of=2015` is 2015-12-31)."""
    given = request.query_params if request is not None else {}
    resolved = {"as_of": at.as_of.isoformat(), "known_at": record_time_text(at.known_at)} if at is not None else {}
    keep = {k: resolved.get(k, given.get(k)) for k in ("as_of", "known_at", "lang") if given.get(k)}
    query = urlencode({**keep, **({"page": page} if page > 1 else {})})
    return _absolute(request, reverse(route, args=[slug])) + (f"?{query}" if query else "")


def participants_page_url(request, slug, page: int, at=None) -> str:
    """A page of an agreement's participants (`GET /api/v1/agreements/{slug}/participants/`)."""
    return clauses_page_url(request, slug, page, at, route="api:agreement-participants")



class LifecycleSerializer(serializers.Serializer):
    action = serializers.CharField()
    date = serializers.CharField(help_text="EDTF")
    party = serializers.CharField(allow_null=True, help_text="Always null here: a participant's actions are its "
                                  "`participants[].actions`.")
    event_id = serializers.CharField()

    def to_representation(self, f):
        return {"action": f.action, "date": f.date, "party": f.party, "event_id": f.event_id}


class AgreementPartySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField(allow_blank=True)

    def to_representation(self, p):
        """The fields above, built directly (a multilateral agreement has hundreds of parties)."""
        return {"code": p.code, "name": p.name, "role": p.role}


class ParticipantActionSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="signature, ratification, acceptance, approval, accession, succession...")
    kind = serializers.CharField(help_text="signature, consent, provisional, end, territorial... (the action's kind)")
    marker = serializers.CharField(allow_blank=True, help_text="The depositary's marker of a consent: A, AA, a, d, c, "
                                   "s (a ratification has none).")
    date = serializers.CharField(help_text="When it was done (EDTF): signature, deposit, notification.")
    effective = serializers.CharField(allow_blank=True, help_text="When it takes effect (EDTF), if recorded.")
    predecessor = serializers.CharField(allow_blank=True, help_text="Succession: the predecessor's party code.")
    territory = serializers.CharField(allow_blank=True)
    notification = serializers.CharField(allow_blank=True, help_text="Depositary notification (C.N.123.2003.TREATIES-4).")
    event_id = serializers.CharField()


class StatementSerializer(serializers.Serializer):
    statement_id = serializers.CharField()
    party = serializers.CharField()
    kind = serializers.CharField(help_text="reservation, declaration, understanding, objection, communication")
    text = serializers.CharField(help_text="In the requested language where it has it (`?lang=`).")
    language = serializers.CharField()
    texts = serializers.DictField(child=serializers.CharField(), help_text="language -> text")
    eids = serializers.ListField(child=serializers.CharField(), help_text="The articles concerned; empty: the whole.")
    made_at = serializers.CharField(allow_blank=True, help_text="signature, consent or later")
    date = serializers.CharField(help_text="Made on (EDTF).")
    narrowed = serializers.BooleanField(help_text="This text is what a partial withdrawal left standing.")
    objects_to = serializers.CharField(allow_null=True, help_text="An objection: the statement_id it answers.")
    opposes_entry_into_force = serializers.BooleanField(
        help_text="An objection opposing entry into force between the two (VCLT art. 20(4)(b)).")
    objected_by = serializers.SerializerMethodField(help_text="The statement_ids of the objections to it.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_objected_by(self, entry):
        return [o.statement_id for o in entry.objections]


class ParticipantSerializer(serializers.Serializer):
    party = serializers.CharField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["signatory", "consented", "party", "provisionally_applying", "withdrawn",
                                              "succeeded", "none"], help_text="Its status on as_of (known at known_at).")
    in_force = serializers.DateField(allow_null=True, help_text="The day the agreement entered (or enters) into force "
                                     "for it, as derived or recorded.")
    in_force_how = serializers.CharField(allow_blank=True, help_text="How `in_force` was obtained: recorded (a recorded "
                                         "entry into force or effective date), rule (the entry-into-force rule), "
                                         "consent (no rule: its consent's date), succession.")
    not_in_force_with = serializers.ListField(
        child=serializers.CharField(), help_text="Parties (each in force for itself) with which the agreement is not "
        "in force on as_of: an objection opposing entry into force between them stands (VCLT art. 20(4)(b)).")
    actions = ParticipantActionSerializer(many=True)
    statements = StatementSerializer(many=True)

    def to_representation(self, p):
        """The fields above, built directly by the builder the downloads and the admin read too
        (queries.participation): an agreement of 200 participants has a thousand rows here, and DRF's
        per-field machinery would cost more than reading them (bench/participation.py)."""
        return participant_fields(p)


class ParticipantPageSerializer(serializers.Serializer):
    """A page of an agreement's participants (`GET /api/v1/agreements/{slug}/participants/`)."""
    count = serializers.IntegerField(help_text="The agreement's participants in all, as of the requested time.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ParticipantSerializer(many=True)


class EntryIntoForceSerializer(serializers.Serializer):
    rule = serializers.DictField(allow_null=True, help_text="The rule's fields as recorded (SetEntryIntoForceRule).")
    rule_text = serializers.CharField(allow_blank=True)
    date = serializers.DateField(source="entry_into_force", allow_null=True,
                                 help_text="The agreement's entry into force, recorded or derived.")
    how = serializers.CharField(source="entry_into_force_how", allow_blank=True,
                                help_text="recorded (an entry_into_force fact overrides the rule) or rule.")
    expiry = serializers.DateField(allow_null=True)
    expiry_how = serializers.CharField(allow_blank=True)
    renewals = serializers.ListField(child=serializers.DateField())


class ClauseSerializer(serializers.Serializer):
    eid = serializers.CharField()
    number = serializers.CharField(allow_blank=True)
    heading = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    text_kind = serializers.ChoiceField(choices=vocabulary.TEXT_KINDS)
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


class ClausePageSerializer(serializers.Serializer):
    """A page of an agreement's clauses in document order (`GET /api/v1/agreements/{slug}/clauses/`)."""
    count = serializers.IntegerField(help_text="The agreement's clauses in all, as of the requested time.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ClauseSerializer(many=True)


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
    quote_check = serializers.SerializerMethodField(
        help_text="What is known of the quote: 'checked' (found in the source's stored text), 'not found in the "
                  "source' (the stored text does not contain it), 'not checked' (no stored text); empty without "
                  "a quote. The public pages show the same mark.")

    @extend_schema_field(serializers.ChoiceField(choices=["", "checked", "not found in the source", "not checked"]))
    def get_quote_check(self, citation) -> str:
        return quote_check_of(citation)


class RegistrationSerializer(serializers.Serializer):
    registration_number = serializers.CharField(help_text="The number the registering body gave (UNTS: I-54669).")
    date = serializers.CharField(help_text="Date of registration (EDTF)")
    registering_body = serializers.CharField(allow_blank=True,
                                             help_text="UN Secretariat (Article 102 of the Charter), League of Nations...")
    event_id = serializers.CharField()


class DepositarySerializer(serializers.Serializer):
    depositary = serializers.CharField(help_text="The depositary's name, or the code of the party that is depositary.")
    party = serializers.CharField(allow_null=True, help_text="The party's code when the depositary is a party.")
    name = serializers.CharField(allow_blank=True, help_text="The party's name when the depositary is a party.")
    event_id = serializers.CharField()


class RelationsSerializer(serializers.Serializer):
    outgoing = RelationOutSerializer(many=True, source="relations_out")
    incoming = RelationInSerializer(many=True, source="relations_in")


class AgreementDetailSerializer(serializers.Serializer):
    slug = serializers.CharField()
    work_uri = serializers.CharField()
    title = serializers.CharField()
    titles = serializers.DictField(child=serializers.CharField())
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=vocabulary.STATUSES)
    publication = serializers.ChoiceField(choices=vocabulary.PUBLICATION_STATES)
    summary = serializers.CharField(allow_blank=True)
    place = serializers.CharField(allow_blank=True)
    work_date = serializers.CharField(allow_blank=True, help_text="EDTF")
    version = serializers.IntegerField(help_text="The stream version this view reflects.")
    as_of = serializers.DateField(source="at.as_of")
    known_at = serializers.DateTimeField(source="at.known_at")
    existed = serializers.BooleanField(help_text="False when the agreement did not exist yet on as_of.")
    language = serializers.CharField(allow_blank=True, help_text="The language the clauses are shown in, where "
                                     "they have it (`?lang=`; default the agreement's first language).")
    languages = serializers.ListField(child=serializers.CharField(),
                                      help_text="The languages the clauses are in, the first language first.")
    parties = serializers.SerializerMethodField(help_text="The parties among `participants` (code, name, role), "
                                                "in the order the agreement names them.")
    lifecycle = serializers.SerializerMethodField(help_text="The actions recorded for the agreement as a whole "
                                                  "(no party); a participant's actions are in `participants`.")
    participants = ParticipantSerializer(many=True, source="participation.participants", help_text=(
        "The first participants (PACTA_PARTICIPANTS_INLINE, 25 by default): each with its actions, status on as_of "
        "and statements. `participants_next` pages on to the others."))
    participant_count = serializers.IntegerField(source="participation.count",
                                                 help_text="The agreement's participants in all.")
    participants_url = serializers.SerializerMethodField()
    participants_next = serializers.SerializerMethodField()
    entry_into_force = EntryIntoForceSerializer(source="participation")
    registrations = RegistrationSerializer(many=True, help_text="Registrations made by as_of (UNTC-style: number, "
                                           "date, registering body), as known at known_at; cite them as `registration`.")
    depositaries = DepositarySerializer(many=True, help_text="The depositaries as known at known_at; cite them as "
                                        "`depositary`.")
    clauses = serializers.SerializerMethodField()
    clause_count = serializers.SerializerMethodField()
    clauses_url = serializers.SerializerMethodField()
    clauses_next = serializers.SerializerMethodField()
    relations = serializers.SerializerMethodField()
    citations = CitationSerializer(many=True)
    verify = serializers.SerializerMethodField(help_text="Verify this page: the events it rests on with their "
                                               "inclusion proofs against the log's latest signed checkpoint.")

    def get_verify(self, view) -> str:
        from django.urls import reverse

        path = reverse("api:agreement-proofs", kwargs={"slug": view.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(AgreementPartySerializer(many=True))
    def get_parties(self, view):
        shown = {p.party for p in view.participation.participants}
        return [AgreementPartySerializer().to_representation(p) for p in view.parties if p.code in shown]

    @extend_schema_field(LifecycleSerializer(many=True))
    def get_lifecycle(self, view):
        return [LifecycleSerializer().to_representation(f) for f in view.lifecycle if f.party is None]

    @extend_schema_field(OpenApiTypes.URI)
    def get_participants_url(self, view) -> str:
        """The paged list of the participants (`results`, `next`), as of the same time and in the same language."""
        return participants_page_url(self.context.get("request"), view.slug, 1, view.at)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_participants_next(self, view) -> str | None:
        """Null when `participants` holds every participant; else page 2 of the participant list."""
        participation = view.participation
        if participation.limit is None or participation.offset + participation.limit >= participation.count:
            return None
        return participants_page_url(self.context.get("request"), view.slug,
                                     participation.offset // participation.limit + 2, view.at)

    @extend_schema_field(ClauseSerializer(many=True))
    def get_clauses(self, view):
        """Every clause, in document order; past the inline bound the first page of them (`clauses_next`)."""
        return ClauseSerializer(view.clauses, many=True, context={**self.context, "slug": view.slug}).data

    @extend_schema_field(OpenApiTypes.INT)
    def get_clause_count(self, view) -> int:
        return view.clause_page.count if view.clause_page else len(view.clauses)

    @extend_schema_field(OpenApiTypes.URI)
    def get_clauses_url(self, view) -> str:
        """The paged list of the clauses (`results`, `next`), as of the same time and in the same language."""
        return clauses_page_url(self.context.get("request"), view.slug, 1, view.at)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_clauses_next(self, view) -> str | None:
        """Null when `clauses` holds every clause; else the page of the clause list that follows them."""
        page = view.clause_page
        if page is None or page.offset + page.limit >= page.count:
            return None
        return clauses_page_url(self.context.get("request"), view.slug, page.offset // page.limit + 2, view.at)

    @extend_schema_field(RelationsSerializer)
    def get_relations(self, view):
        return RelationsSerializer(view).data


class AgreementListSerializer(serializers.Serializer):
    slug = serializers.CharField()
    work_uri = serializers.CharField()
    title = serializers.CharField()
    titles = serializers.DictField(child=serializers.CharField(), help_text="Titles in other languages, by "
                                   "language code (ISO 639-1): {\"tr\": \"…\", \"az\": \"…\"}.")
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=vocabulary.STATUSES, help_text="Status today.")
    publication = serializers.ChoiceField(choices=vocabulary.PUBLICATION_STATES)
    work_date = serializers.CharField(allow_blank=True)
    signed = serializers.CharField(source="signed_edtf", allow_null=True,
                                   help_text="The first signature's date as recorded (EDTF: 2010-08-16, 2000, 1996-06?).")
    signed_earliest = serializers.DateField(source="signed_lower", allow_null=True,
                                            help_text="The earliest day `signed` can mean.")
    signed_latest = serializers.DateField(source="signed_upper", allow_null=True,
                                          help_text="The latest day `signed` can mean (null: open-ended).")
    in_force = serializers.CharField(source="in_force_edtf", allow_null=True,
                                     help_text="The first entry into force as recorded (EDTF).")
    in_force_earliest = serializers.DateField(source="in_force_lower", allow_null=True,
                                              help_text="The earliest day `in_force` can mean.")
    in_force_latest = serializers.DateField(source="in_force_upper", allow_null=True,
                                            help_text="The latest day `in_force` can mean (null: open-ended).")
    parties = serializers.SerializerMethodField()
    registration_number = serializers.CharField(allow_null=True, help_text="The first registration's number, if any.")
    registration_date = serializers.CharField(allow_null=True, help_text="The first registration's date (EDTF).")
    depositaries = serializers.SerializerMethodField(help_text="Names (or party codes) of the depositaries.")
    version = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_parties(self, record):
        return [p.party_code for p in record.current_parties]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_depositaries(self, record):
        return [d.depositary for d in record.current_depositaries]

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
    language = serializers.CharField(allow_blank=True, help_text="The language of this version history.")
    languages = serializers.ListField(child=serializers.CharField(), help_text="The languages the clause is in.")
    text = serializers.CharField(source="current.text", allow_null=True, default=None,
                                 help_text="The text as of the requested time; null if the clause did not exist.")
    current = ClauseVersionSerializer(allow_null=True)
    versions = ClauseVersionSerializer(many=True)
    references_out = ReferenceOutSerializer(many=True)
    references_in = ReferenceInSerializer(many=True)
    citations = CitationSerializer(many=True)
    findings = FindingSerializer(many=True)


@extend_schema_field(OpenApiTypes.DATETIME)
class ChainTimeField(serializers.Field):
    """Record time exactly as the hash chain covers it: UTC, always with microseconds, and `Z`."""

    def to_representation(self, value):
        return record_time_text(value)


class EventSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    stream_id = serializers.CharField()
    stream_version = serializers.IntegerField()
    event_id = serializers.CharField()
    type = serializers.CharField()
    schema_version = serializers.IntegerField()
    payload = serializers.DictField()
    effective = serializers.CharField(allow_blank=True)
    recorded_at = ChainTimeField()
    prev_hash = serializers.CharField(help_text="The hash of the event at the position before (64 zeros for the first).")
    hash = serializers.CharField(help_text="sha256_hex(prev_hash + '\\n' + canonical_json(record)); see docs/api.md.")


class FeedEntrySerializer(EventSerializer):
    """A feed entry; for an event the caller may not see, only `position`, `prev_hash`, `hash` and `leaf_hash`."""

    leaf_hash = serializers.CharField(required=False, help_text=(
        "Placeholders only: the event's Merkle leaf hash, base64 SHA-256(0x00 || canonical record), so the tree "
        "of /api/v1/log/ can be recomputed without the hidden content."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in ("position", "prev_hash", "hash"):
                field.required = False

    legacy_source_key = serializers.CharField(
        required=False, help_text="Only on a CitationAttached of schema 1 whose payload names its source by this "
        "instance's database id (written before December 2026): the key of the source it meant. A copy stores "
        "the payload as it is (the hash covers it) and reads the citation with this key.")

    def to_representation(self, instance):
        if not hasattr(instance, "stream_id"):
            return {"position": instance.position, "prev_hash": instance.prev_hash, "hash": instance.hash,
                    "leaf_hash": instance.leaf_hash}
        data = super().to_representation(instance)
        data.pop("leaf_hash", None)
        if data.get("legacy_source_key") is None:
            data.pop("legacy_source_key", None)
        return data


class FeedPageSerializer(serializers.Serializer):
    after = serializers.IntegerField(help_text="The position this page starts after.")
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    results = FeedEntrySerializer(many=True)


class CommandResultSerializer(serializers.Serializer):
    slug = serializers.CharField()
    version = serializers.IntegerField(help_text="The stream version after the command.")
    replayed = serializers.BooleanField(help_text="True when an Idempotency-Key retry found the command done.")
    statement_id = serializers.CharField(required=False, help_text="MakeStatement, WithdrawStatement: the statement's id.")
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
    accessed = serializers.CharField(allow_blank=True, help_text="EDTF: the day the source was read at its address")
    language = serializers.CharField()
    kind = serializers.CharField()
    perspective = serializers.CharField(allow_blank=True)
    snapshot_sha256 = serializers.CharField(allow_blank=True)
    snapshot_taken_at = serializers.DateTimeField(allow_null=True)


class SearchHitSerializer(serializers.Serializer):
    match = serializers.ChoiceField(choices=["agreement", "clause"],
                                    help_text="agreement: its title, other titles or summary; clause: one clause.")
    agreement = serializers.CharField(source="slug")
    title = serializers.CharField()
    eid = serializers.CharField(allow_blank=True, help_text="The clause's eId; empty for an agreement hit.")
    number = serializers.CharField(allow_blank=True)
    heading = serializers.CharField(allow_blank=True)
    text_kind = serializers.CharField(allow_blank=True)
    snippet = serializers.CharField(allow_blank=True, help_text="Plain text; each hit is wrapped in « ».")
    rank = serializers.FloatField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, hit) -> str:
        if not hit.eid:
            return _absolute(self.context.get("request"), reverse("api:agreement-detail", args=[hit.slug]))
        return _absolute(self.context.get("request"), reverse("api:clause-detail", args=[hit.slug, hit.eid]))


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False,
                                   help_text="Field (or parameter, or header) -> messages.")
    rule = serializers.CharField(required=False, help_text="409: the domain rule the command breaks.")
    field = serializers.CharField(required=False, allow_null=True)
    current_version = serializers.IntegerField(required=False, help_text="412: the agreement's current version.")
    code = serializers.ChoiceField(
        choices=["statement_timeout", "database_unavailable", "broker_unavailable", "unavailable",
                 # A refused cosignature (POST /api/v1/log/cosignatures; registry.eventstore.checkpoints).
                 "malformed", "unknown_witness", "unknown_checkpoint", "bad_signature", "from_the_future", "replayed",
                 "older_checkpoint"], required=False,
        help_text="503: what is unavailable (statement_timeout: the request's database work ran too long); "
                  "400/403/404/409 of a cosignature: the rule it breaks.")
