"""The participation table of an agreement's page, as depositaries print a status list: one row for the
agreement as a whole and one per participant, with its status on the page's date, its signature, its consent
with the kind's marker (ratification unmarked; A acceptance, AA approval, a accession, d succession,
c formal confirmation, s definitive signature), the date the agreement took effect for it and how that date
was obtained, its withdrawal or denunciation, and notes: its other actions (territorial application,
provisional application...) and its reservations and declarations, each with the objections of others under
it. Each fact carries the numbered notes of its citations.

The table is the page's only account of the parties and their actions. Past PACTA_PARTICIPANTS_INLINE
participants the page shows the first ones and links to the agreement's participation page, which lists them
all (`/akn/.../participation/`); the participation and statements are also downloadable (CSV, Parquet).

Everything comes from the view `agreement_at` built (no query here), so the page's query count does not
depend on how many participants there are. Rows are built in one pass over each participant's actions,
already sorted into columns (queries.participation); texts are data: the template escapes them.
"""

from __future__ import annotations

import dataclasses
import html as html_text

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext as _, gettext_lazy, gettext_noop
from django.views.decorators.http import require_safe

from agreements.datasets import participation as dataset
from agreements.domain.dates import InvalidDate, parse_date
from agreements.domain.vocabulary import lifecycle_subject, statement_subject
from agreements.queries import NotFound
from agreements.queries.agreements import agreement_at
from agreements.queries.citations import quote_checks
from agreements.queries.participation import action_rows, participants_inline, statement_rows
from agreements.queries.parties import names_in
from agreements.queries.time import TimePoint
from agreements.queries.visibility import published_record

from .. import links
from ..moments import BadMoment, parse_as_of, parse_known_at
from ..notes import Notes
from ..pages import bad_request, not_found, page
from ..present import (
    action_label,
    clause_label,
    derivation_label,
    html_datetime,
    human_date,
    participant_status_label,
    statement_kind_label,
    status_label,
)
from ..security import with_csp
from ..timetravel import moment_context, moment_or_redirect

# The table's messages, each said once per table (`_Dates.say`); marked here for the catalogue.
TAKING_EFFECT = gettext_noop("taking effect %(date)s")
SUCCEEDING = gettext_noop("succeeding %(party)s")
ITS_OBJECTION = gettext_noop('<a href="#%(anchor)s">Its objection</a> to <a href="#%(target)s">a statement</a>.')
NO_ACTION = gettext_noop("No action of its own recorded")
TAKING_EFFECT_META = gettext_noop("(taking effect %(date)s)")
AFTER_THIS_DATE = gettext_noop("(after this date)")
NARROWED = gettext_noop("(as narrowed by a partial withdrawal)")
OBJECTION_BY = gettext_noop("Objection by %(party)s")
OPPOSING = gettext_noop("opposing entry into force between them")


def escape(value) -> str:
    """django.utils.html.escape's text (html.escape of str(value)) without its lazy-string wrapper: a table of
    25 participants escapes a thousand values, and the builders mark the joined HTML safe once."""
    return html_text.escape(str(value))


MADE_AT = {"signature": gettext_lazy("on signature"), "consent": gettext_lazy("on consent"),
           "later": gettext_lazy("later")}


class _Dates:
    """Each distinct date once per page, as (words, `<time datetime>`, after the page's date): a
    200-participant table repeats few dates. Each action's label is kept the same way (`label`)."""

    def __init__(self, as_of):
        self.as_of = as_of
        self._seen: dict = {}
        self._labels: dict = {}

    def __call__(self, value):
        if value not in self._seen:
            later = value > self.as_of if hasattr(value, "isoformat") else _after(value, self.as_of)
            self._seen[value] = (human_date(value), html_datetime(value), later)
        return self._seen[value]

    def label(self, action: str) -> str:
        return self.word(action_label, action)

    def word(self, label, key) -> str:
        """`label(key)` in the reader's language (a wording function, or gettext of a message), once per table."""
        said = self._labels.get((label, key))
        if said is None:
            said = self._labels[(label, key)] = str(label(key))
        return said

    def say(self, message: str) -> str:
        return self.word(_, message)


def _fact(action, dates, notes, party, with_label=False) -> dict:
    """One action in a cell: its date (marked when after the page's date), its label where the column holds
    several kinds, a consent's marker and notification, and its citations."""
    label, datetime, later = dates(action.date)
    return {
        "date": label, "datetime": datetime, "later": later,
        "action": dates.label(action.action) if with_label else "",
        "marker": getattr(action, "marker", ""),
        "kind_label": dates.label(action.action),
        "notification": getattr(action, "notification", "") or "",
        "effective": dates(action.effective)[0] if getattr(action, "effective", "") else "",
        "notes": notes.take(lifecycle_subject(action.action, party)),
    }


def _derived(day, how, dates) -> dict:
    """A date the rules derived (no citation: the facts it rests on carry theirs)."""
    label, datetime, later = dates(day)
    return {"date": label, "datetime": datetime, "later": later, "how": dates.word(derivation_label, how), "notes": []}


NO_FACT = mark_safe('<span class="none">—</span>')


def _cell(facts, dates) -> str:
    """A cell's facts as HTML, built here rather than by a template loop per fact: a table of 50 participants
    has a thousand of these fragments, and Django's template engine would cost more than the rest of the
    page. Every value is escaped (`_fact_html`)."""
    if not facts:
        return NO_FACT
    return mark_safe("<br>".join(_fact_html(fact, dates) for fact in facts))


def _fact_html(fact, dates) -> str:
    """One fact as HTML: every value through `escape` (this runs a thousand times for a large table, where
    format_html's per-call work showed in the bench), the notes as their template renders them."""
    date = escape(fact["date"])
    html = [f'<time datetime="{escape(fact["datetime"])}">{date}</time>' if fact["datetime"] else date]
    if fact.get("marker"):
        html.append(f' <abbr title="{escape(fact["kind_label"])}" class="marker">{escape(fact["marker"])}</abbr>')
    if fact.get("action"):
        html.append(f" ({escape(fact['action'].lower())})")
    if fact.get("how"):
        html.append(f' <span class="meta">({escape(fact["how"])})</span>')
    if fact.get("effective"):
        html.append(f' <span class="meta">{escape(dates.say(TAKING_EFFECT_META) % {"date": fact["effective"]})}</span>')
    if fact.get("notification"):
        html.append(f' <span class="meta">{escape(fact["notification"])}</span>')
    if fact["later"]:
        html.append(f' <span class="meta">{escape(dates.say(AFTER_THIS_DATE))}</span>')
    if fact["notes"]:
        html.append(_notes_html(fact["notes"]))
    return f'<span class="{"fact later" if fact["later"] else "fact"}">{"".join(html)}</span>'


def _after(date: str, as_of) -> bool:
    try:
        lower = parse_date(date).lower
    except InvalidDate:
        return False
    return lower is not None and lower > as_of


def _statement(entry, names, notes, dates) -> dict:
    return {
        "anchor": f"statement-{entry.statement_id}",
        "kind": dates.word(statement_kind_label, entry.kind),
        "party": names.get(entry.party, entry.party),
        "text": entry.text,
        "language": entry.language,
        "date": dates(entry.date)[0],
        "made_at": dates.word(_made_at, entry.made_at),
        "articles": ", ".join(dates.word(clause_label, eid) for eid in entry.eids),
        "narrowed": entry.narrowed,
        "opposes": entry.opposes_entry_into_force,
        "notes": notes.take(statement_subject(entry.statement_id)),
        "objections": [_statement(o, names, notes, dates) for o in entry.objections],
    }


def _made_at(made_at: str) -> str:
    return MADE_AT.get(made_at, "")


def _note(action, dates, notes, party) -> dict:
    text = f"{dates.label(action.action)}: {dates(action.date)[0]}"
    if action.effective:
        text += ", " + dates.say(TAKING_EFFECT) % {"date": dates(action.effective)[0]}
    if action.territory:
        text += f" ({action.territory})"
    if action.predecessor:
        text += ", " + dates.say(SUCCEEDING) % {"party": action.predecessor}
    return {"text": text, "notes": notes.take(lifecycle_subject(action.action, party))}


def _notes_html(notes) -> str:
    return mark_safe(render_to_string("browser/_notes.html", {"notes": notes})) if notes else ""


def _notes_cell(row, dates) -> str:
    """A row's Notes cell as HTML, built here for the reason `_cell` is: its other actions, its reservations
    and declarations with the objections of others under each, and its own objections as links. The wording
    is the catalogue's (msgids as the template had them); every value goes through `escape`."""
    parts = []
    if row["not_in_force_with"]:
        parts.append('<p class="action-note">' + escape(_(
            "Not in force between it and %(parties)s: an objection opposes it (Vienna Convention, art. 20(4)(b)).")
            % {"parties": row["not_in_force_with"]}) + "</p>")
    for note in row["others"]:
        parts.append(f'<p class="action-note">{escape(note["text"])}{_notes_html(note["notes"])}</p>')
    for statement in row["statements"]:
        parts.append(_statement_html(statement, dates))
    for objection in row["objections"]:
        link = dates.say(ITS_OBJECTION) % {
            "anchor": escape(objection["anchor"]), "target": escape(objection["target"])}
        parts.append(f'<p class="action-note">{link}</p>')
    return mark_safe("".join(parts))


def _row_html(row) -> str:
    """A participant's row as HTML, built here for the reason `_cell` is (the template's loop over 25 rows of
    cells showed in the bench): the markup the template had, every value through `escape`."""
    role = f' <span class="meta">({escape(row["role"])})</span>' if row["role"] and row["role"] != "party" else ""
    cells = "".join(f"<td>{cell}</td>" for cell in row["cells"])
    return mark_safe(
        f'\n      <tr id="participant-{escape(row["party"])}">\n'
        f'        <th scope="row"><a href="{escape(row["href"])}">{escape(row["name"])}</a>{role}'
        f'{_notes_html(row["notes"])}</th>\n'
        f'        <td><span class="badge participant-{escape(row["status"])}">'
        f'{escape(row["status_label"])}</span></td>\n'
        f'        {cells}\n'
        f'        <td>{row["notes_cell"]}</td>\n'
        f'      </tr>\n    ')


def _statement_html(s, dates) -> str:
    meta = f"{s['made_at']}, {s['date']}" if s["made_at"] else s["date"]
    head = [f'<strong>{escape(s["kind"])}</strong> <span class="meta">({escape(meta)})</span>']
    if s["articles"]:
        head.append(f' <span class="meta">{escape(s["articles"])}</span>')
    if s["narrowed"]:
        head.append(f' <span class="meta">{escape(dates.say(NARROWED))}</span>')
    head.append(_notes_html(s["notes"]))
    objections = ""
    if s["objections"]:
        items = []
        for o in s["objections"]:
            by = escape(dates.say(OBJECTION_BY) % {"party": o["party"]})
            item = f'{by} <span class="meta">({escape(o["date"])})</span>'
            if o["opposes"]:
                item += f' <strong>{escape(dates.say(OPPOSING))}</strong>'
            item += f': <q lang="{escape(o["language"])}">{escape(o["text"])}</q>{_notes_html(o["notes"])}'
            items.append(f'<li id="{escape(o["anchor"])}">{item}</li>')
        objections = f'<ul class="objections">{"".join(items)}</ul>'
    return (f'<div class="statement" id="{escape(s["anchor"])}"><p>{"".join(head)}</p>'
            f'<blockquote lang="{escape(s["language"])}">{escape(s["text"])}</blockquote>{objections}</div>')


def _row(entry, role, dates, notes, names) -> dict:
    """One participant's row, from its actions as queries.participation sorted them into columns."""
    party = entry.party
    party_notes = notes.take(f"party:{party}")
    if entry.entries_into_force:
        in_force = [_fact(a, dates, notes, party) for a in entry.entries_into_force]
    else:
        in_force = [_derived(entry.in_force, entry.in_force_how, dates)] if entry.in_force else []
    return {
        "party": party, "name": entry.name, "href": links.party_url(party), "role": role,
        "notes": party_notes,
        "status": entry.status,
        # A party named without any action of its own (the Charter's "member states") is not "not a participant".
        "status_label": dates.word(participant_status_label, entry.status) if entry.actions or entry.status != "none"
        else dates.say(NO_ACTION),
        # Signature; consent to be bound; entry into force; its end.
        "cells": [_cell([_fact(a, dates, notes, party) for a in entry.signatures], dates),
                  _cell([_fact(a, dates, notes, party) for a in entry.consents], dates),
                  _cell(in_force, dates),
                  _cell([_fact(a, dates, notes, party, with_label=True) for a in entry.ends], dates)],
        "others": [_note(a, dates, notes, party) for a in entry.others],
        "not_in_force_with": ", ".join(names.get(other, other) for other in entry.not_in_force_with),
        # Objections show under the statement they answer, not again on their own.
        "statements": [_statement(s, names, notes, dates) for s in entry.reservations],
        "objections": [{"anchor": f"statement-{s.statement_id}", "target": f"statement-{s.objects_to}"}
                       for s in entry.objections],
    }


def _whole_row(view, dates, notes) -> dict | None:
    """The agreement as a whole: the actions recorded without a participant, its status, its entry into force."""
    facts = [f for f in view.lifecycle if f.party is None]
    participation = view.participation
    if not facts and not participation.entry_into_force:
        return None
    ends = ("suspension", "withdrawal", "denunciation", "termination", "expiry")
    signature = [_fact(f, dates, notes, None, with_label=f.action != "signature") for f in facts
                 if f.action in ("signature", "adoption")]
    others = [_fact(f, dates, notes, None, with_label=True) for f in facts
              if f.action not in ("signature", "adoption", "entry_into_force", *ends)]
    in_force = [_fact(f, dates, notes, None) for f in facts if f.action == "entry_into_force"]
    if not in_force and participation.entry_into_force:
        in_force = [_derived(participation.entry_into_force, participation.entry_into_force_how, dates)]
    ended = [_fact(f, dates, notes, None, with_label=True) for f in facts if f.action in ends]
    return {"status": view.status, "cells": [_cell(cell, dates) for cell in (signature, others, in_force, ended)]}


def participation_table(view, as_of, notes, limit: int | None = None, full_url: str = "") -> dict:
    """The section's rows (the first `limit` participants; None: all) and its entry-into-force summary."""
    participation = view.participation
    names = {p.code: p.name for p in view.parties}
    roles = {p.code: p.role for p in view.parties}
    dates = _Dates(as_of)
    participants = participation.participants
    shown = participants if limit is None else participants[:limit]
    whole = _whole_row(view, dates, notes)  # first: notes are numbered in the order the page shows them
    rows = [_row(entry, roles.get(entry.party, ""), dates, notes, names) for entry in shown]
    for row in rows:
        row["notes_cell"] = _notes_cell(row, dates)
        row["html"] = _row_html(row)
    # The participation page shows the notes of those left out (`agreement_at` built no entry for them).
    left_out = {entry.party for entry in participants[len(shown):]} | set(participation.left_out)
    if left_out:
        hidden_statements = {statement_subject(s.statement_id) for s in participation.statements if s.party in left_out}

        def shown_elsewhere(subject: str) -> bool:
            kind, _colon, rest = subject.partition(":")
            if kind == "party":
                return rest in left_out
            if kind == "lifecycle":  # lifecycle:<action>:<party> (vocabulary.lifecycle_subject)
                return rest.partition(":")[2] in left_out
            return subject in hidden_statements

        notes.skip_where(shown_elsewhere)
    count = max(participation.count, len(participants))
    return {
        "whole": whole,
        "rows": rows,
        "count": count,
        "more": count - len(shown),
        "full_url": full_url,
        "rule": participation.rule_text,
        "entry_into_force": dates(participation.entry_into_force)[0] if participation.entry_into_force else "",
        "entry_into_force_how": derivation_label(participation.entry_into_force_how),
        "expiry": dates(participation.expiry)[0] if participation.expiry else "",
        "expiry_how": derivation_label(participation.expiry_how),
        "renewals": [dates(d)[0] for d in participation.renewals],
    }


def download_links(slug: str, moment) -> list[dict]:
    query = {}
    if moment.as_of:
        query["as_of"] = moment.as_of.isoformat()
    if moment.known_at:
        query["known_at"] = moment.known_at.isoformat()
    from urllib.parse import urlencode

    suffix = "?" + urlencode(query) if query else ""
    return [
        {"label": _("Participation, CSV"), "href": reverse("browser:participation-csv", args=[slug]) + suffix},
        {"label": _("Participation, Parquet"), "href": reverse("browser:participation-parquet", args=[slug]) + suffix},
        {"label": _("Statements, CSV"), "href": reverse("browser:statements-csv", args=[slug]) + suffix},
        {"label": _("Statements, Parquet"), "href": reverse("browser:statements-parquet", args=[slug]) + suffix},
    ]


# ---------------------------------------------------------------------------------------------- pages


@require_safe
@with_csp
def participation_page(request, year, slug, as_of=None):
    """Every participant of an agreement, as the agreement page's table shows its first ones."""
    record = published_record(slug)
    if record is None or links.work_year(record.work_uri) != year:
        return not_found(request, _("There is no published agreement '%(slug)s'.") % {"slug": slug})

    def url_for(date, known_at):
        return links.clause_url(record.work_uri, "participation", date, known_at)

    moment, response = moment_or_redirect(request, as_of, url_for)
    if response:
        return response
    point = moment.point
    try:
        view = agreement_at(slug, point, include_unpublished=False, clause_limit=1)
    except NotFound as exc:
        return not_found(request, str(exc))
    if get_language() != settings.LANGUAGE_CODE:
        localized = names_in([p.code for p in view.parties], get_language(), point.as_of)
        view.parties = [dataclasses.replace(p, name=localized.get(p.code, p.name)) for p in view.parties]
        for entry in view.participation.participants:
            entry.name = localized.get(entry.party, entry.name)
    notes = Notes(view.citations, quote_checks(view.citations))
    title = _("Participation in the %(title)s") % {"title": view.title}
    context = {
        "view": view,
        "record": record,
        "agreement_href": links.agreement_url(record.work_uri, moment.as_of, moment.known_at),
        "status_label": status_label(view.status, any(p.consents for p in view.participation.participants)),
        "participation": participation_table(view, point.as_of, notes),
        "downloads": download_links(slug, moment),
        **moment_context(moment, point, url_for),
    }
    return page(request, "browser/participation.html", context, title=title,
                description=_("Each participant's signature, consent, entry into force, status and statements."),
                canonical=url_for(moment.as_of, None))


def _download(request, slug, columns, rows_of, content_type, extension, name):
    record = published_record(slug)
    if record is None:
        return not_found(request, _("There is no published agreement '%(slug)s'.") % {"slug": slug})
    try:
        at = TimePoint.of(parse_as_of(request.GET.get("as_of", "")), parse_known_at(request.GET.get("known_at", "")))
    except BadMoment as exc:
        return bad_request(request, str(exc))
    try:
        view = agreement_at(slug, at, include_unpublished=False, clause_limit=1)
    except NotFound as exc:
        return not_found(request, str(exc))
    rows = rows_of(slug, view.participation)
    body = dataset.to_csv(columns, rows) if extension == "csv" else dataset.to_parquet(columns, rows)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}-{name}-{at.as_of.isoformat()}.{extension}"'
    return response


CSV = "text/csv; charset=utf-8"
PARQUET = "application/vnd.apache.parquet"


@require_safe
def participation_csv(request, slug):
    return _download(request, slug, dataset.ACTION_COLUMNS, action_rows, CSV, "csv", "participation")


@require_safe
def participation_parquet(request, slug):
    return _download(request, slug, dataset.ACTION_COLUMNS, action_rows, PARQUET, "parquet", "participation")


@require_safe
def statements_csv(request, slug):
    return _download(request, slug, dataset.STATEMENT_COLUMNS, statement_rows, CSV, "csv", "statements")


@require_safe
def statements_parquet(request, slug):
    return _download(request, slug, dataset.STATEMENT_COLUMNS, statement_rows, PARQUET, "parquet", "statements")
