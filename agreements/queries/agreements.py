"""Agreements: one agreement as of a moment, the editable state, lists and groupings, batch facts."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Exists, F, Min, OuterRef, Prefetch, Q, Subquery

from agreements.domain.status import status_on
from agreements.projections.models import (
    AgreementDetailsVersion,
    AgreementParty,
    AgreementRecord,
    Depositary,
    LifecycleFact,
    Reference,
    Registration,
    Relation,
)
from agreements.projections.models import Citation

from . import NotFound
from .batching import chunks
from .clauses import (ClauseEntry, ClausePage, all_language_clauses_at, clause_page_at, clauses_at, in_language,
                      languages_in)
from .events import version_at
from .lifecycle import LifecycleEntry
from .parties import names_on
from .participation import ParticipationView, actions_at, participation_at
from .references import references_of
from .registration import DepositaryEntry, RegistrationEntry, depositaries_at, registrations_at, with_party_names
from .status import with_status
from .time import END_OF_TIME, TimePoint, bounds
from .visibility import get_record, redact_agreement, visible_agreements


@dataclass
class PartyEntry:
    code: str
    name: str
    role: str
    lifecycle: list[LifecycleEntry] = field(default_factory=list)


@dataclass
class AgreementView:
    record: AgreementRecord
    at: TimePoint
    title: str
    titles: dict
    kind: str
    summary: str
    place: str
    work_date: str
    publication: str
    version: int
    status: str
    existed: bool
    parties: list[PartyEntry]
    lifecycle: list[LifecycleEntry]
    clauses: list[ClauseEntry]
    relations_out: list[Relation]
    relations_in: list[Relation]
    citations: list[Citation]
    registrations: list[RegistrationEntry] = field(default_factory=list)
    depositaries: list[DepositaryEntry] = field(default_factory=list)
    participation: ParticipationView | None = None  # each participant's actions, status and statements
    consent_recorded: bool = False  # some participant's consent to be bound is recorded (shown or not)
    language: str = ""  # the language the clauses are shown in (where they have it)
    languages: list[str] = field(default_factory=list)  # the languages its clauses are in, the first one first
    clause_page: ClausePage | None = None  # with `clause_limit`: which of its clauses `clauses` holds, and the outline

    @property
    def slug(self):
        return self.record.slug

    @property
    def work_uri(self):
        return self.record.work_uri


def _details_at(record, at: TimePoint):
    return (
        AgreementDetailsVersion.objects.filter(agreement=record)
        .filter(at.known())
        .order_by("-known_from", "-position")
        .first()
    )


def agreement_at(slug: str, at: TimePoint | None = None, include_unpublished: bool = False,
                 language: str | None = None, clause_limit: int | None = None,
                 clause_offset: int = 0, names_language: str = "en", participant_limit: int | None = None,
                 participant_offset: int = 0) -> AgreementView:
    """The agreement as of `at`. With `clause_limit`, `clauses` holds that many clauses from `clause_offset` in
    document order (the texts of the others are not read) and `clause_page` says which, with the outline.
    With `participant_limit`, `participation.participants` holds that many participants from
    `participant_offset` (`participation.count` says how many there are), and `lifecycle` (with each party's)
    the facts of the agreement as a whole and of those participants: the others' count in the derivation and
    the status without being read whole."""
    at = at or TimePoint.of()
    record = get_record(slug, include_unpublished)
    if record.created_at > at.known_at:
        raise NotFound(f"The registry did not know '{slug}' yet at {at.known_at.isoformat()}.")
    details = _details_at(record, at)
    party_rows = list(AgreementParty.objects.filter(agreement=record).filter(at.known()).order_by("id")
                      .values_list("party_code", "role", named=True))  # tuples: a convention has hundreds
    depositaries = depositaries_at(record, at)
    depositary_codes = [d.party for d in depositaries if d.party]
    party_codes = [p.party_code for p in party_rows]
    # With a limit, the whole rows (and `lifecycle`) of the agreement as a whole and of the shown participants.
    actions = actions_at(record, at, party_codes, participant_limit, participant_offset)
    lifecycle = actions.lifecycle
    if participant_limit is None:  # each party by the name it bore on the date asked
        names = names_on(party_codes + depositary_codes, at.as_of, names_language)
        participation = participation_at(record, at, actions, party_codes, names, language or "")
    else:  # the names of the participants shown and of those they name: a convention's others are not read
        participation = participation_at(record, at, actions, party_codes, {}, language or "",
                                         participant_limit, participant_offset)
        names = names_on(_named_by(participation) | set(depositary_codes), at.as_of, names_language)
        for entry in participation.participants:
            entry.name = names.get(entry.party, entry.party)
    by_party: dict = {}
    for fact in lifecycle:  # grouped once: a 200-party agreement is not read 200 times
        by_party.setdefault(fact.party, []).append(fact)
    parties = [
        PartyEntry(p.party_code, names.get(p.party_code, p.party_code), p.role, by_party.get(p.party_code, []))
        for p in party_rows
    ]
    relations_out = list(Relation.objects.filter(agreement=record).filter(at.known()).order_by("relation", "target_slug"))
    relations_in = list(
        Relation.objects.filter(target_slug=record.slug).filter(at.known()).select_related("agreement")
        .order_by("relation", "agreement__slug")
    )
    superseded = any(r.relation == "supersedes" for r in relations_in)
    derived = [("entry_into_force", participation.entry_into_force)] if participation.entry_into_force_how == "rule" \
        else []  # an entry into force the rule derives counts as one recorded (as queries.status has it in SQL)
    status = status_on(actions.facts + derived, at.as_of, superseded)
    existed = record.earliest_date is None or record.earliest_date <= at.as_of
    citations = list(
        Citation.objects.filter(agreement=record, source__isnull=False).filter(at.known()).select_related("source").order_by("id")
    )
    version = version_at(record.stream_id, at.known_at) if at.known_at < record.updated_at else record.version
    page = None
    if clause_limit is not None:
        page = clause_page_at(record, at, language, clause_offset, clause_limit) if existed else ClausePage(
            [], 0, clause_offset, clause_limit, "", [], [])
        every, languages, language = page.clauses, page.languages, page.language
    else:
        every = all_language_clauses_at(record, at) if existed else []
        languages = languages_in(every)
        language = language if language in languages else (languages[0] if languages else "")
    view = AgreementView(
        record=record, at=at, title=details.title, titles=details.titles, kind=details.kind,
        summary=details.summary, place=details.place, work_date=details.work_date,
        publication=details.publication, version=version, status=status, existed=existed,
        parties=parties, lifecycle=lifecycle, clauses=in_language(every, language),
        relations_out=relations_out, relations_in=relations_in, citations=citations,
        registrations=registrations_at(record, at), depositaries=with_party_names(depositaries, names),
        language=language, languages=languages, clause_page=page,
        participation=participation, consent_recorded=any(a.kind == "consent" for a in actions.actions),
    )
    return redact_agreement(view, include_unpublished)


def _named_by(participation: ParticipationView) -> set[str]:
    """The parties a page of participants names: the participants, those objecting to their statements or
    objected to by them, those with which it is not in force for them."""
    shown = {entry.party for entry in participation.participants}
    by_id = {s.statement_id: s.party for s in participation.statements}
    named = set(shown)
    for entry in participation.participants:
        named.update(entry.not_in_force_with)
        for statement in entry.statements:
            named.update(o.party for o in statement.objections)
            if statement.objects_to in by_id:
                named.add(by_id[statement.objects_to])
    return named


def agreement_detail(slug: str, at: TimePoint, include_unpublished: bool = False,
                     language: str | None = None, clause_limit: int | None = None,
                     clause_offset: int = 0, participant_limit: int | None = None,
                     participant_offset: int = 0) -> AgreementView:
    """The agreement as of `at`, as this reader may see it (the API's detail)."""
    return agreement_at(slug, at, include_unpublished, language, clause_limit, clause_offset,
                        participant_limit=participant_limit, participant_offset=participant_offset)


def agreement_version(slug: str, include_unpublished: bool = False) -> int:
    """The agreement's current stream version (one query): what an ETag is made of.

    Every detail GET and every revalidation asks it first, so its SQL is the ORM's, compiled once per process
    (`_version_lookup`): building and compiling the queryset each time cost three times the query's own round
    trip (365 against 83 microseconds, measured on PostgreSQL), a quarter of a cached detail's whole answer."""
    alias = router.db_for_read(AgreementRecord)
    sql, params, slug_at = _version_lookup(include_unpublished, alias)
    params = [*params[:slug_at], slug, *params[slug_at + 1:]]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise NotFound(f"No agreement '{slug}'.")
    return row[0]


_SLUG_PLACEHOLDER = "\x00slug"  # no stored slug holds a NUL (the input guard refuses one at the door)


@functools.cache
def _version_lookup(include_unpublished: bool, alias: str) -> tuple[str, tuple, int]:
    """The version lookup of `visible_agreements` (the visibility rule stays in one place), as SQL for `alias`,
    its parameters, and where the slug stands among them."""
    query = visible_agreements(include_unpublished).filter(slug=_SLUG_PLACEHOLDER).values_list("version").query
    sql, params = query.get_compiler(using=alias).as_sql()
    return sql, tuple(params), params.index(_SLUG_PLACEHOLDER)


@dataclass
class EditableState:
    """The agreement as an archivist edits it: every clause's latest version, including repealed ones."""

    view: AgreementView
    clauses: list[ClauseEntry]
    references: list[Reference]

    @property
    def version(self):
        return self.view.version


def editable_state(slug: str) -> EditableState:
    at = TimePoint.of(as_of=END_OF_TIME)
    view = agreement_at(slug, at, include_unpublished=True)
    clauses = clauses_at(view.record, at, include_repealed=True)
    return EditableState(view=view, clauses=clauses, references=references_of(view.record, at))


# ---------------------------------------------------------------------------------------------- lists


def _first_fact(action: str, field_name: str):
    """A field of the agreement's first `action` fact (earliest lower bound; open starts last)."""
    facts = LifecycleFact.objects.filter(agreement=OuterRef("pk"), action=action, known_to__isnull=True)
    return Subquery(facts.order_by(F("date_lower").asc(nulls_last=True), "id").values(field_name)[:1])


def _first_registration(field_name: str):
    """A field of the agreement's first current registration (earliest date)."""
    rows = Registration.objects.filter(agreement=OuterRef("pk"), known_to__isnull=True)
    return Subquery(rows.order_by(F("date_lower").asc(nulls_first=True), "id").values(field_name)[:1])


def agreement_list(include_unpublished: bool = False, on: dt.date | None = None):
    """Agreements with their status on `on` (default today), their current parties and depositaries, the first
    signature and entry into force as recorded (EDTF) with the latest bound (the earliest is on the row) and the
    first registration: three queries a page."""
    return (
        with_status(visible_agreements(include_unpublished), on)
        .annotate(signed_edtf=_first_fact("signature", "date"), signed_upper=_first_fact("signature", "date_upper"),
                  in_force_edtf=_first_fact("entry_into_force", "date"),
                  in_force_upper=_first_fact("entry_into_force", "date_upper"),
                  registration_number=_first_registration("registration_number"),
                  registration_date=_first_registration("date"))
        .prefetch_related(
            Prefetch(
                "party_rows",
                queryset=AgreementParty.objects.filter(known_to__isnull=True).order_by("id"),
                to_attr="current_parties",
            ),
            Prefetch(
                "depositary_rows",
                queryset=Depositary.objects.filter(known_to__isnull=True).order_by("known_from", "id"),
                to_attr="current_depositaries",
            ),
        )
    )


def with_party(qs, code: str):
    """The agreements of `qs` that `code` is currently a party to (at most one current row per party and
    agreement: the domain refuses a party twice).

    An inner join on the slug, not an EXISTS: the lists are ordered by slug, so the planner may walk the party's
    rows in that order from `party_current_slug_idx`, probing each agreement (a rare party: a few probes), or
    merge them with the agreements in slug order (a common one: about a page's worth of each). An EXISTS (or an
    IN) left it one way only, every agreement in slug order probed for the party: all of them for a rare party
    (250 ms at 100,000 agreements for a party with none, measured)."""
    return qs.filter(party_rows_by_slug__party_code=code, party_rows_by_slug__known_to__isnull=True)


def latest_by_date(limit: int = 10) -> list[AgreementRecord]:
    """The published agreements with the latest earliest dates, latest first (one index range)."""
    return list(visible_agreements().filter(earliest_date__isnull=False).order_by("-earliest_date", "-slug")[:limit])


def kinds_in_use() -> list[str]:
    """The kinds of the published agreements (from the shared corpus summary: no scan per request)."""
    from .summaries import corpus_summary

    return [kind for kind, _ in corpus_summary().by_kind]


# ---------------------------------------------------------------------------------------------- batches


@dataclass(frozen=True)
class AgreementFacts:
    """When an agreement is known to exist: `earliest` is the earliest lower bound of its dated facts
    (AgreementRecord.earliest_date); `latest_start` the smallest upper bound, so the agreement certainly
    existed by then. Both None when the agreement carries no date at all."""

    id: int
    slug: str
    earliest: dt.date | None
    latest_start: dt.date | None
    label: str


def agreement_facts(slugs) -> dict[str, AgreementFacts]:
    slugs = set(slugs)
    facts = {}
    for chunk in chunks(slugs):
        records = list(
            AgreementRecord.objects.filter(slug__in=chunk).values("id", "slug", "work_date", "earliest_date")
        )
        uppers = dict(
            LifecycleFact.objects.filter(agreement__slug__in=chunk, known_to__isnull=True, date_upper__isnull=False)
            .values("agreement__slug").annotate(m=Min("date_upper")).values_list("agreement__slug", "m")
        )
        for r in records:
            work_lower, work_upper = bounds(r["work_date"])
            candidates = [d for d in (work_upper, uppers.get(r["slug"])) if d]
            latest = min(candidates) if candidates else None
            label = r["work_date"] or (r["earliest_date"].isoformat() if r["earliest_date"] else "undated")
            facts[r["slug"]] = AgreementFacts(r["id"], r["slug"], r["earliest_date"], latest, label)
    return facts


def agreement_slugs() -> list[str]:
    return list(AgreementRecord.objects.order_by("slug").values_list("slug", flat=True))


def agreements_changed_since(moment) -> list[str]:
    qs = AgreementRecord.objects.all()
    if moment is not None:
        qs = qs.filter(updated_at__gt=moment)
    return list(qs.order_by("slug").values_list("slug", flat=True))


def agreement_for_work(work_uri: str) -> AgreementRecord | None:
    """The agreement an imported document's work URI names, published or not (for importers)."""
    return AgreementRecord.objects.filter(work_uri=work_uri).first()


def slug_taken(slug: str) -> bool:
    return AgreementRecord.objects.filter(slug=slug).exists()


def agreement_matches(term: str, limit: int = 20) -> list[tuple[str, str]]:
    """(slug, "title (slug)") of agreements, drafts too, whose slug or title contains `term` (the admin's
    autocomplete: archivists relate drafts)."""
    qs = AgreementRecord.objects.all()
    if term:
        qs = qs.filter(Q(slug__icontains=term) | Q(title__icontains=term))
    return [(slug, f"{title} ({slug})") for slug, title in qs.order_by("slug").values_list("slug", "title")[:limit]]
