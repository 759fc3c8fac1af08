"""Parties (reference data): lists, and one party's profile with a page of its agreements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from sources.models import Party, PartyName
from agreements.projections.models import AgreementParty, AgreementRecord, LifecycleFact

from . import NotFound
from .paging import Chronological, chronological_page
from .status import with_status
from .summaries import shareable, shared
from .visibility import published_records


class PartyNotFound(NotFound):
    pass


def parties(kind: str | None = None, text: str | None = None):
    qs = Party.objects.select_related("predecessor", "parent").prefetch_related(
        Prefetch("names", queryset=PartyName.objects.order_by("valid_from_lower", "id")),
        Prefetch("successors", queryset=Party.objects.order_by("code")),
    )
    if kind:
        qs = qs.filter(kind=kind)
    if text:
        # Any part of the code or a name as written, or every word in any language or script (folded).
        folded = codes_named(text)
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text) | Q(names__name__icontains=text)
                       | Q(code__in=folded)).distinct()
    return qs.order_by("code")


def party(code: str) -> Party:
    found = parties().filter(code=code).first()
    if found is None:
        raise PartyNotFound(f"No party '{code}'.")
    return found


def parties_in_use() -> list[Party]:
    """The parties to at least one published agreement, by name (from the shared corpus summary)."""
    from .summaries import corpus_summary

    return [party for party, _ in corpus_summary().parties]


def existence_spans(codes) -> dict[str, tuple]:
    """code -> (first day, last day) its dated names cover (None: open at that end), for the parties with at
    least one dated name; the years a picker and an error show (domain/existence.py). One query."""
    spans: dict[str, list] = {}
    rows = PartyName.objects.filter(party__code__in=set(codes)).values_list(
        "party__code", "valid_from_lower", "valid_to_upper", "valid_from", "valid_to")
    for code, start, end, start_text, end_text in rows:
        if not (start_text or end_text):
            continue
        first, last = spans.setdefault(code, [dt.date.max, dt.date.min])
        spans[code] = [None if first is None or not start_text else min(first, start),
                       None if last is None or not end_text else max(last, end)]
    return {code: (first, last) for code, (first, last) in spans.items()}


def existence_span(code: str):
    return existence_spans([code]).get(code)


def party_label(code: str, name: str, span) -> str:
    """'Azerbaijan Democratic Republic (ADR, 1918–1920)': a picker names each party with its years."""
    from agreements.domain.existence import existence_years

    years = existence_years(span)
    return f"{name} ({code}, {years})" if years else f"{name} ({code})"


def names_on(codes, on: dt.date, language: str = "en") -> dict[str, str]:
    """The name each party bore on `on` (its names over time, in English), or its current name where no
    recorded name covers that day: a page as of 1995 says "Republic of Turkey", not "Republic of Türkiye".
    Where two names touch (a change within a year given only as the year), the later one wins. With another
    `language`, a party's name in that language replaces it where one is recorded (`pick_name_in`), read in
    the same query: a page costs as many queries in every language. Two queries."""
    codes = set(codes)
    names = dict(Party.objects.filter(code__in=codes).values_list("code", "name"))
    covering_english = Q(language="en") & (Q(valid_from_lower__isnull=True) | Q(valid_from_lower__lte=on)) & (
        Q(valid_to_upper__isnull=True) | Q(valid_to_upper__gte=on))
    rows = list(PartyName.objects.filter(party__code__in=codes).filter(covering_english | Q(language=language))
                .order_by("valid_from_lower", "id")
                .values_list("party__code", "name", "valid_from_lower", "valid_to_upper", "language"))
    english = [row for row in rows if row[4] == "en" and (row[2] is None or row[2] <= on)
               and (row[3] is None or row[3] >= on)]
    for code, name, *_ in sorted(english, key=lambda row: (row[2] or dt.date.min)):
        names[code] = name  # the latest-starting covering name is written last
    if language != "en":
        names.update(pick_name_in([row[:4] for row in rows if row[4] == language], on))
    return names


def party_choices() -> list[tuple[str, str]]:
    """(code, "Name (CODE)") of every party to an agreement, published or not (the admin's filter): one index
    probe per party of the reference list (an agreement names only known parties), never a pass over every
    agreement's parties."""
    in_use = AgreementParty.objects.filter(party_code=OuterRef("code"), known_to__isnull=True)
    rows = list(Party.objects.filter(Exists(in_use)).order_by("code").values_list("code", "name"))
    spans = existence_spans([code for code, _ in rows])
    return [(code, party_label(code, name, spans.get(code))) for code, name in rows]


@dataclass
class PartyAgreement:
    record: AgreementRecord
    role: str
    facts: list[LifecycleFact] = field(default_factory=list)


@dataclass
class PartyProfile:
    party: Party
    names: list[PartyName]
    successors: list[Party]
    parts: list[Party]
    agreements: list[PartyAgreement]  # one page, oldest first
    next_after: Chronological | None = None  # where the next page starts (None: this is the last)


def party_profile(code: str, after: Chronological | None = None, limit: int = 50,
                  on: dt.date | None = None) -> PartyProfile:
    """A party with its names over time, predecessor, successors, and one page (`limit`, after `after`) of
    the published agreements it is a party to, oldest first, each with that party's lifecycle facts and its
    `status` on `on` (default today; with `on`, only agreements known to exist by then) (six queries,
    whatever the number of its agreements)."""
    found = Party.objects.select_related("predecessor", "parent").filter(code=code).first()
    if found is None:
        raise PartyNotFound(code)
    names = list(found.names.order_by("valid_from_lower", "name"))
    successors = list(found.successors.order_by("code"))
    parts = list(found.parts.order_by("code"))
    records = published_records().filter(
        Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), party_code=code, known_to__isnull=True))
    )
    if on is not None:
        records = records.filter(earliest_date__lte=on)
    records = with_status(records, on)
    page, next_after = chronological_page(records, after, limit)
    roles = dict(AgreementParty.objects.filter(agreement__in=page, party_code=code, known_to__isnull=True)
                 .values_list("agreement_id", "role"))
    agreements = {record.pk: PartyAgreement(record, roles.get(record.pk, "")) for record in page}
    for fact in LifecycleFact.objects.filter(
        agreement_id__in=list(agreements), party_code=code, known_to__isnull=True
    ).order_by("date_lower", "action"):
        agreements[fact.agreement_id].facts.append(fact)
    return PartyProfile(found, names, successors, parts, list(agreements.values()), next_after)


def party_matches(term: str, limit: int = 20) -> list[tuple[str, str]]:
    """(code, "CODE — name") of parties whose code or any name contains `term` (the admin's autocomplete)."""
    qs = Party.objects.all()
    if term:
        qs = qs.filter(Q(code__icontains=term) | Q(name__icontains=term) | Q(names__name__icontains=term))
    rows = list(qs.distinct().order_by("code").values_list("code", "name")[:limit])
    spans = existence_spans([code for code, _ in rows])
    return [(code, f"{code} — {name}" + (f" ({years})" if (years := _years(spans.get(code))) else ""))
            for code, name in rows]


PARTNERS_KEPT = 3600  # seconds a party's partners stay cached unread (one entry per party and date asked)


def partners_of(code: str, on) -> list[tuple[Party, int]]:
    """The parties `code` has published agreements with, with how many. With a date `on`, only agreements
    known to exist by then (an undated agreement cannot be placed in time, so it is left out). Counting grows
    with the party's agreements, so the counts are shared between requests as the corpus summary is."""
    # Over all time one entry per party, kept in the database too; one per party and date asked otherwise.
    return shared("partners", count_partners, code, on.isoformat() if on else "", timeout=PARTNERS_KEPT,
                  kept=on is None)


@shareable
def count_partners(head: int, code: str, on: str) -> list[tuple[Party, int]]:
    """partners_of's counts (`on`: an ISO date, or "" for every agreement), as of the feed's `head`."""
    on = dt.date.fromisoformat(on) if on else None
    mine = AgreementParty.objects.filter(party_code=code, known_to__isnull=True, agreement__in=published_records())
    if on is not None:
        mine = mine.filter(agreement__earliest_date__lte=on)
    counts = (
        AgreementParty.objects.filter(agreement_id__in=mine.values("agreement_id"), known_to__isnull=True)
        .exclude(party_code=code).values("party_code").annotate(n=Count("agreement_id", distinct=True))
    )
    by_code = {row["party_code"]: row["n"] for row in counts}
    parties = {p.code: p for p in Party.objects.filter(code__in=list(by_code))}
    return sorted(((parties[c], n) for c, n in by_code.items() if c in parties), key=lambda pn: (-pn[1], pn[0].code))


def _years(span) -> str:
    from agreements.domain.existence import existence_years

    return existence_years(span)


def names_in(codes, language: str, on: dt.date | None = None) -> dict[str, str]:
    """Each party's name in `language` as it stood on `on` (default today), for the parties of `codes` that
    have one recorded in that language (`pick_name_in`); parties without a name in that language are left out
    (the caller shows the registry's name)."""
    on = on or dt.date.today()
    rows = PartyName.objects.filter(party__code__in=list(codes), language=language).values_list(
        "party__code", "name", "valid_from_lower", "valid_to_upper")
    return pick_name_in(rows, on)


def pick_name_in(rows, on: dt.date) -> dict[str, str]:
    """Of (code, name, first day, last day) rows of one language, each party's name on `on`: a name valid on
    that day, else the latest begun before it, else the earliest to come."""
    found: dict[str, tuple] = {}
    for code, name, start, end in rows:
        valid = (start is None or start <= on) and (end is None or end >= on)
        started = start is None or start <= on
        # Best first: valid on the day, then begun before it (latest start), then the earliest to come.
        key = (valid, started, (start or dt.date.min) if started else dt.date.max - (start - dt.date.min))
        if code not in found or key > found[code][0]:
            found[code] = (key, name)
    return {code: name for code, (_, name) in found.items()}


def codes_named(text: str) -> list[str]:
    """The codes of the parties whose code or any name, in any language or script, holds every word of `text`
    (the search's folding, agreements.domain.folding: "Türkiye Cumhuriyeti", "turkiye", "Турция" as written
    in a name). Reference data is small: one read, folded here."""
    from agreements.domain.folding import fold, fold_words

    keys = fold_words(text)
    if not keys:
        return []
    written: dict[str, list[str]] = {}
    for code, name, other in Party.objects.values_list("code", "name", "names__name"):  # one read
        written.setdefault(code, [code, name]).append(other or "")
    folded = {code: fold(" ".join(names)) for code, names in written.items()}
    return sorted(code for code, text_ in folded.items() if all(f" {key}" in text_ for key in keys))
