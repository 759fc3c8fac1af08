"""Paste a depositary's status table into an agreement: a preview of the commands it would issue, then all of
them in one transaction through the write path.

The table is the UN Treaty Collection's, copied from its page (cells separated by tabs, or by two spaces or
more), its header first:

    Participant     Signature       Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)
    Azerbaijan      16 Aug 2010     21 Dec 2010
    Türkiye 2       16 Aug 2010      2 Feb 2011
    Afghanistan                      6 Jun 2002 a

A participant is named by its registry code or by one of its names (a footnote number after the name is
left out; a name several parties answer to is read as the one the agreement names already, else refused); a date is "16 Aug 2010" or "16 August 2010"; after a consent's date its marker says the kind:
none ratification, A acceptance, AA approval, a accession, d succession, c formal confirmation,
s definitive signature. Each readable line becomes an AddParty (a participant the agreement does not name yet)
and RecordLifecycle commands (an action already recorded with the same date is left out).

Three more columns may follow, in any order, for what a depositary prints in its notes:

| header starts with | cell | becomes |
|---|---|---|
| Predecessor | the predecessor's name or code | the `predecessor` of the line's succession (d): a succession needs one, and only a succession takes one |
| Territor(y, ial application) | `Aruba: 1 Jan 2012`, several separated by `;` | a `territorial_application` of that territory on that date |
| Notification | `C.N.123.2003.TREATIES-4` | the `notification` of the line's consent |

A line is refused, with its number and why, when it cannot be read faithfully: an unknown or ambiguous name
(of the participant or of its predecessor), an impossible date, an unknown marker, more cells than the header,
a succession without its predecessor or a predecessor without a succession, a succession to signature (Pacta
records no such action), a territory without its date, a notification without a consent, or a command the
registry's rules refuse (a predecessor never bound, a succession loop: checked in a transaction that is rolled
back, which counts in no metric). Nothing is written while any line is refused; confirming writes every command
in one transaction (services.handle_many) against the version the preview was made on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from agreements import services
from agreements.domain.commands import parse_command
from agreements.domain.errors import DomainError, InvalidCommand
from agreements.queries.agreements import agreement_at
from agreements.queries.participation import codes_for_names
from agreements.queries.time import END_OF_TIME, TimePoint

MAX_CHARACTERS = 200_000
MAX_LINES = 2_000
MARKERS = {"": "ratification", "A": "acceptance", "AA": "approval", "a": "accession", "d": "succession",
           "c": "formal_confirmation", "s": "definitive_signature"}
MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}
DATE_CELL = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})(?:\s+([A-Za-z]{1,2}))?$")
SEPARATOR = re.compile(r"\t| {2,}")
FOOTNOTE = re.compile(r"[\s\d,*]+$")
TERRITORY_CELL = re.compile(r"^(.+?)\s*[:,]\s*(\d{1,2}\s+[A-Za-z]+\.?\s+\d{4})$")
NOTE_COLUMNS = (("predecessor", "predecessor"), ("territor", "territory"), ("notification", "notification"))  # "Türkiye 2", "Czech Republic4,5": the table's footnote numbers


class Unreadable(ValueError):
    pass


@dataclass
class Line:
    number: int
    text: str
    name: str = ""
    party: str = ""
    commands: list = field(default_factory=list)  # (type name, fields)
    skipped: list = field(default_factory=list)  # what is recorded already
    problem: str = ""
    predecessor_name: str = ""  # as the table names it; looked up with the participants


def _columns(header: str) -> list[str]:
    """The kind of each column: participant, signature, consent."""
    cells = [c.strip() for c in SEPARATOR.split(header.strip())]
    if not cells or not cells[0].lower().startswith("participant"):
        raise Unreadable(_("Line 1: the table starts with its header, whose first column is 'Participant'."))
    kinds = ["participant"]
    for cell in cells[1:]:
        lowered = cell.lower()
        note = next((kind for start, kind in NOTE_COLUMNS if lowered.startswith(start)), None)
        if note in kinds:
            raise Unreadable(_("Line 1: the column '%(column)s' is there twice.") % {"column": cell[:80]})
        if lowered.startswith("signature"):
            kinds.append("signature")
        elif note:
            kinds.append(note)
        elif any(word in lowered for word in ("ratification", "accession", "acceptance", "approval",
                                               "succession", "formal confirmation", "definitive signature")):
            kinds.append("consent")
        else:
            raise Unreadable(_("Line 1: the column '%(column)s' is not one Pacta reads (Participant, Signature, "
                               "Ratification..., Predecessor, Territory, Notification).") % {"column": cell[:80]})
    return kinds


def _date(cell: str) -> tuple[str, str]:
    """("2010-08-16", marker) from "16 Aug 2010" or "6 Jun 2002 a"."""
    match = DATE_CELL.match(cell)
    if not match:
        raise Unreadable(_("'%(cell)s' is not a date such as 16 Aug 2010.") % {"cell": cell[:80]})
    day, month, year, marker = match.groups()
    number = MONTHS.get(month.lower())
    if number is None:
        raise Unreadable(_("'%(month)s' is not a month.") % {"month": month[:20]})
    try:
        date = dt.date(int(year), number, int(day))
    except ValueError:
        raise Unreadable(_("%(cell)s is not a day of the calendar.") % {"cell": cell[:80]}) from None
    marker = marker or ""
    if marker not in MARKERS:
        raise Unreadable(_("'%(marker)s' is not a depositary's marker (A, AA, a, d, c, s).") % {"marker": marker})
    return date.isoformat(), marker


def read(text: str) -> tuple[list[str], list[Line]]:
    """The columns and each participant line as read (its name, its actions), before any party is looked up."""
    if "\x00" in text:
        raise Unreadable(_("The table contains a NUL character."))
    if len(text) > MAX_CHARACTERS:
        raise Unreadable(_("The table is longer than %(n)s characters: paste it in parts.") % {"n": MAX_CHARACTERS})
    raw = text.replace("\xa0", " ").splitlines()
    if len(raw) > MAX_LINES:
        raise Unreadable(_("The table has more than %(n)s lines: paste it in parts.") % {"n": MAX_LINES})
    numbered = [(i, line) for i, line in enumerate(raw, start=1) if line.strip()]
    if not numbered:
        raise Unreadable(_("Paste a status table: its header, then one line per participant."))
    kinds = _columns(numbered[0][1])
    lines = []
    for number, text_ in numbered[1:]:
        line = Line(number, text_.strip())
        lines.append(line)
        cells = [c.strip() for c in SEPARATOR.split(text_.strip())]
        if len(cells) > len(kinds):
            line.problem = _("more cells (%(cells)s) than the header has columns (%(columns)s)") % {
                "cells": len(cells), "columns": len(kinds)}
            continue
        cells += [""] * (len(kinds) - len(cells))
        line.name = FOOTNOTE.sub("", cells[0]) or cells[0]
        try:
            _read_cells(line, kinds, cells)
        except Unreadable as exc:
            line.problem = str(exc)
    return kinds, lines


def _read_cells(line: Line, kinds: list[str], cells: list[str]) -> None:
    """The line's actions from its date columns, then its notes columns applied to them."""
    notes = {}
    for kind, cell in zip(kinds[1:], cells[1:]):
        if cell and kind in ("signature", "consent"):
            line.commands.append(_action(kind, cell))
        elif cell:
            notes[kind] = cell
    consent = next((fields for _type, fields in line.commands if fields["action"] != "signature"), None)
    succession = consent is not None and consent["action"] == "succession"
    if succession and not notes.get("predecessor"):
        raise Unreadable(_("a succession (d) names its predecessor: add a Predecessor column, or record it in the "
                           "participation form."))
    if notes.get("predecessor"):
        if not succession:
            raise Unreadable(_("a predecessor ('%(name)s') belongs to a succession (d) only.") % {
                "name": notes["predecessor"][:80]})
        line.predecessor_name = FOOTNOTE.sub("", notes["predecessor"]) or notes["predecessor"]
    if notes.get("notification"):
        if consent is None:
            raise Unreadable(_("a notification (%(reference)s) belongs to a consent, and this line has none.") % {
                "reference": notes["notification"][:80]})
        consent["notification"] = notes["notification"]
    for part in (p.strip() for p in notes.get("territory", "").split(";")):
        if part:
            line.commands.append(_territory(part))


def _territory(cell: str) -> tuple[str, dict]:
    """A territorial application from "Aruba: 1 Jan 2012"."""
    match = TERRITORY_CELL.match(cell)
    if not match:
        raise Unreadable(_("'%(cell)s' is not a territory with its date, such as Aruba: 1 Jan 2012.") % {
            "cell": cell[:80]})
    return "RecordLifecycle", {"action": "territorial_application", "date": _date(match.group(2))[0],
                               "territory": match.group(1)}


def _action(kind: str, cell: str) -> tuple[str, dict]:
    date, marker = _date(cell)
    if kind == "signature":
        if marker == "d":
            raise Unreadable(_("a succession to signature (d): Pacta records no such action; record it by hand."))
        if marker:
            raise Unreadable(_("a signature takes no marker ('%(marker)s').") % {"marker": marker})
        return "RecordLifecycle", {"action": "signature", "date": date}
    return "RecordLifecycle", {"action": MARKERS[marker], "date": date}


def plan(record, text: str) -> list[Line]:
    """Every line with the commands it would issue, or why it is refused (names looked up, actions already
    recorded left out, the rest checked by the registry's rules in a transaction rolled back)."""
    _kinds, lines = read(text)
    found = codes_for_names({name for line in lines if not line.problem
                             for name in (line.name, line.predecessor_name) if name})
    view = agreement_at(record.slug, TimePoint.of(as_of=END_OF_TIME), include_unpublished=True)
    named = {p.code for p in view.parties}
    recorded = {(p.party, a.action, a.date) for p in view.participation.participants for a in p.actions}
    seen: dict[str, int] = {}
    for line in lines:
        if line.problem:
            continue
        try:
            line.party = _one_party(line.name, found, named)
            predecessor = _one_party(line.predecessor_name, found, named) if line.predecessor_name else ""
        except Unreadable as exc:
            line.problem = str(exc)
            continue
        if predecessor:
            for _type, fields in line.commands:
                if fields["action"] == "succession":
                    fields["predecessor"] = predecessor
        if line.party in seen:
            line.problem = _("%(party)s is on line %(line)s already") % {"party": line.party, "line": seen[line.party]}
            continue
        seen[line.party] = line.number
        commands = []
        for type_name, fields in line.commands:
            if (line.party, fields["action"], fields["date"]) in recorded:
                line.skipped.append(fields)
            else:
                commands.append((type_name, {**fields, "party": line.party}))
        if commands and line.party not in named:
            commands.insert(0, ("AddParty", {"party": line.party}))
        line.commands = commands
    _check(record.slug, lines)
    return lines


def _one_party(name: str, found: dict, named: set) -> str:
    """The one party code a name in the table stands for, or why it stands for none."""
    codes = found.get(name, [])
    if len(codes) > 1 and len(named.intersection(codes)) == 1:  # "Azerbaijan": the participant already named
        codes = sorted(named.intersection(codes))
    if not codes:
        raise Unreadable(_("no party in the registry is named '%(name)s'") % {"name": name[:80]})
    if len(codes) > 1:
        raise Unreadable(_("'%(name)s' may be any of %(codes)s: write the code instead") % {
            "name": name[:80], "codes": ", ".join(codes[:8])})
    return codes[0]


class _RolledBack(Exception):
    pass


def _check(slug: str, lines: list[Line]) -> None:
    """Each line's commands through the write path, in order, inside a transaction that is then rolled back:
    a rule the registry would refuse is named on its line before anything is written."""
    try:
        with transaction.atomic(), services.rehearsal():
            for line in lines:
                if line.problem:
                    continue
                for type_name, fields in line.commands:
                    try:
                        services.handle(parse_command(type_name, fields), slug=slug, retries=0)
                    except InvalidCommand as exc:
                        line.problem = "; ".join(f"{name}: {' '.join(problems)}" for name, problems in exc.errors.items())
                        break
                    except DomainError as exc:
                        line.problem = f"{exc} ({getattr(exc, 'rule', '')})".replace(" ()", "")
                        break
            raise _RolledBack
    except _RolledBack:
        pass


def commands_of(lines: list[Line]) -> list:
    return [parse_command(type_name, fields) for line in lines for type_name, fields in line.commands]


# ---------------------------------------------------------------------------------------------- the admin page


class StatusTableForm(forms.Form):
    table = forms.CharField(label=gettext_lazy("Status table"), widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
                            max_length=MAX_CHARACTERS, strip=False,
                            help_text=gettext_lazy("Copied from the depositary's page: the header (Participant, "
                                                   "Signature, Ratification...), then one line per participant."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def status_table_view(model_admin, request, object_id):
    """GET: the form; POST: the preview; POST with `confirm`: every command in one transaction."""
    record = model_admin._record(request, object_id)
    if not model_admin.has_change_permission(request, record):
        raise PermissionDenied
    form = StatusTableForm(request.POST or None, initial={"version": record.version})
    lines = None
    if request.method == "POST" and form.is_valid():
        try:
            lines = plan(record, form.cleaned_data["table"])
        except Unreadable as exc:
            form.add_error("table", str(exc))
        else:
            refused = [line for line in lines if line.problem]
            if "confirm" in request.POST and not refused:
                try:
                    done = services.handle_many(commands_of(lines), slug=record.slug, user=request.user,
                                                expected_version=form.cleaned_data["version"])
                except services.ConcurrencyConflict:
                    form.add_error(None, _("Someone changed this agreement meanwhile: preview the table again."))
                except (DomainError, InvalidCommand, services.NotAllowed) as exc:
                    form.add_error(None, _("Nothing was written: %(error)s") % {"error": exc})
                else:
                    model_admin.message_user(request, ngettext(
                        "%(n)s command recorded from the status table.",
                        "%(n)s commands recorded from the status table.", len(done)) % {"n": len(done)},
                        messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:agreements_agreementrecord_participation",
                                                        args=[record.pk]))
            elif "confirm" in request.POST:
                form.add_error(None, _("Nothing was written: some lines are refused."))
    context = {
        **model_admin.admin_site.each_context(request), "opts": model_admin.opts, "record": record, "form": form,
        "lines": lines, "refused": [line for line in lines or [] if line.problem],
        "commands": sum(len(line.commands) for line in lines or [] if not line.problem),
        "title": _("Paste a status table: %(title)s") % {"title": record.title},
    }
    return TemplateResponse(request, "admin/agreements/agreementrecord/status_table.html", context)
