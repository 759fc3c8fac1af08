"""The document an Akoma Ntoso file holds, as its metadata names it: the work's URI, dates, language and title,
its lifecycle events, and the registry's own facts in `proprietary` (registrations, depositaries, actions,
statements, the entry-into-force rule) as its export writes them.

Refused, naming the element and its line: a work URI that is a template's placeholder or a fragment, a
placeholder title, a title longer than the registry keeps, a date that is none or a template's `9999-01-01`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from lxml import etree

from agreements.domain.fields import MAX_LINE
from agreements.domain.dates import InvalidDate, parse_date
from agreements.domain.languages import language2
from agreements.domain.vocabulary import PARTY_CODE_RE

from .akn_text import local
from .akn_works import former_work_uri, kind_for, registry_work_uri, slug_for
from .documents import ImportedClause, ImportedDocument, ImportRefused, normalise_line

PACTA_NS = "https://pacta.invalid/ns/dates"  # the registry's own metadata in `proprietary` (agreements.api.akn)
# Drafting systems export unfilled template fields: `#varWorkUri`, `#varBillTitle`, `${title}`, `{{title}}`.
PLACEHOLDER_RE = re.compile(r"^\s*(?:#\w*|\$\{[^}]*\}|\{\{[^}]*\}\}|#?var[A-Z]\w*)\s*$")
UNTITLED = {"untitled", "no title", "title"}  # a title field left at its template default: look further
FUTURE_YEARS = 100  # a document date later than this many years ahead is a template's `9999-01-01`
XSD_DATE = len("2010-08-16")  # an xsd:date's day, before a time zone EDTF lacks
LIFECYCLE_WORDS = (
    ("signature", "signature"), ("signed", "signature"), ("sign", "signature"), ("ratif", "ratification"),
    ("accession", "accession"), ("approv", "approval"), ("commenc", "entry_into_force"),
    ("in force", "entry_into_force"), ("inforce", "entry_into_force"), ("entry", "entry_into_force"),
    ("repeal", "termination"), ("terminat", "termination"), ("suspen", "suspension"), ("withdraw", "withdrawal"),
    ("denunc", "denunciation"),
)
TITLES = ("docTitle", "shortTitle", "longTitle")  # the main document's titles, in the order one is chosen


class DocumentMetadata:
    """What the file says about its document (its FRBR identification, lifecycle events, titles, the registry's
    own facts in `proprietary`), read from the end tags of its metadata, and the `ImportedDocument` made of it
    and of the clauses the reader (akn_reader.py) found."""

    def __init__(self, display: str):
        self.display = display
        self.doc_type = ""
        self.doc_name = ""
        self.clauses: list[ImportedClause] = []  # filled by the reader, in document order
        self.lines: dict[str, int | None] = {}  # FRBR field, title or event -> its line, for refusals
        self.frbr: dict[str, str] = {}
        self.events: list[tuple[str, str, str]] = []  # (date, refersTo, type)
        self.event_names: dict[str, str] = {}
        self.titles: dict[str, str] = {}  # docTitle, shortTitle, longTitle of the main document
        self.registrations: list[tuple[str, str, str]] = []  # (number, EDTF date, registering body)
        self.depositaries: list[tuple[str, str]] = []  # (name, refersTo)
        self.actions: list[dict] = []  # pacta:action (RecordLifecycle fields)
        self.statements: list[dict] = []  # pacta:participantStatement (MakeStatement fields, the exported id)
        self.rule: dict = {}  # pacta:entryIntoForceRule
        self.organizations: dict[str, str] = {}  # TLCOrganization eId -> its href

    def refuse(self, line, message):
        raise ImportRefused(self.display, line, message)

    # -- the document's metadata (METADATA, REGISTRY_METADATA)

    def metadata(self, el, name):
        """Read one metadata element of the main document, by its name (METADATA, REGISTRY_METADATA)."""
        handler = METADATA.get(name)
        if handler is None and etree.QName(el.tag).namespace == PACTA_NS:
            handler = REGISTRY_METADATA.get(name)
        if handler is not None:
            handler(self, el)

    def _identification(self, el):
        for part in ("FRBRWork", "FRBRExpression"):
            node = next((c for c in el if local(c.tag) == part), None)
            if node is None:
                continue
            for child in node:
                field = local(child.tag)
                key = f"{part}.{field}"
                value = child.get("value") or child.get("date") or child.get("language") or ""
                if field == "FRBRalias" and (child.get("name") or "") in ("title", "short", "shortTitle", ""):
                    self.frbr.setdefault(f"{part}.alias", child.get("value") or "")
                if key not in self.frbr and value:
                    self.frbr[key] = value.strip()
                    self.lines[key] = child.sourceline
            self.frbr.setdefault(f"{part}.line", str(node.sourceline))
        self.frbr.setdefault("identification.line", str(el.sourceline))

    def _event_ref(self, el):
        self.events.append((el.get("date") or "", (el.get("refersTo") or "").lstrip("#"), el.get("type") or ""))
        self.lines.setdefault(f"eventRef.{len(self.events) - 1}", el.sourceline)

    def _tlc_event(self, el):
        self.event_names[el.get("eId") or el.get("id") or ""] = el.get("showAs") or ""

    def _tlc_organization(self, el):
        self.organizations[el.get("eId") or el.get("id") or ""] = el.get("href") or ""

    # the registry's own facts in `proprietary`, as its export writes them

    def _registration(self, el):
        number, date = normalise_line(el.get("number") or ""), (el.get("edtf") or "").strip()
        if number or date:
            self.registrations.append((number, date, normalise_line(el.get("body") or "")))

    def _depositary(self, el):
        refers = (el.get("refersTo") or "").lstrip("#")
        self.depositaries.append((normalise_line(el.get("name") or ""), refers))

    def _action(self, el):
        self.actions.append({"action": el.get("action"), "party": el.get("party"), "date": el.get("edtf"),
                             "effective": el.get("effective"), "predecessor": el.get("predecessor"),
                             "territory": el.get("territory"), "notification": el.get("notification"),
                             "line": el.sourceline})

    def _participant_statement(self, el):
        self.statements.append({"id": el.get("id"), "party": el.get("party"), "kind": el.get("kind"),
                                "language": el.get("language"), "date": el.get("edtf"),
                                "made_at": el.get("madeAt"), "eids": (el.get("eids") or "").split(),
                                "objects_to": el.get("objectsTo"),
                                "opposes_entry_into_force": el.get("opposesEntryIntoForce") == "true",
                                "text": el.text or "", "line": el.sourceline})

    def _entry_into_force_rule(self, el):
        rule = dict(el.attrib)
        for key in ("instruments", "days_after", "later_days_after", "years", "renewal_years", "notice_months"):
            if key in rule:
                rule[key] = int(rule[key]) if rule[key].isdigit() else rule[key]
        if "counts" in rule:
            rule["counts"] = rule["counts"].split()
        self.rule = rule

    # -- the document

    def document(self) -> ImportedDocument:
        if not self.doc_type:
            self.refuse(1, "no Akoma Ntoso document (act, bill, doc, statement, documentCollection...) in the file.")
        uri_key = "FRBRWork.FRBRuri" if self.frbr.get("FRBRWork.FRBRuri") else "FRBRWork.FRBRthis"
        uri = self.frbr.get("FRBRWork.FRBRuri") or self.frbr.get("FRBRWork.FRBRthis", "").split("/!")[0]
        if not uri:
            self.refuse(int(self.frbr.get("identification.line", 1)), "no FRBRWork/FRBRuri: the work is not named.")
        if PLACEHOLDER_RE.match(uri) or uri.startswith("#"):
            self.refuse(self.lines.get(uri_key), f"FRBRWork/{uri_key.split('.')[1]} is '{uri}', an unfilled "
                        "template field or a fragment, not the URI of a work: different documents would merge into "
                        "one agreement. Fill in the work's URI.")
        work_date = self._date("FRBRWork.FRBRdate", "FRBRWork/FRBRdate")
        expression_date = self._date("FRBRExpression.FRBRdate", "FRBRExpression/FRBRdate")
        title, title_line = self._title()
        if len(title) > MAX_LINE:
            self.refuse(title_line, f"the title has {len(title)} characters; the registry keeps at most {MAX_LINE}, "
                        "and a shortened title would not be the file's.")
        country = (self.frbr.get("FRBRWork.FRBRcountry") or "").lower()
        slug = slug_for(uri)
        return ImportedDocument(
            file=self.display, doc_type=self.doc_type, kind=kind_for(self.doc_type, self.doc_name,
                                                                       self.frbr.get("FRBRWork.FRBRname")),
            title=title, source_uri=uri,
            work_uri=registry_work_uri(uri, country, self.doc_type, slug), slug=slug,
            former_work_uri=former_work_uri(uri, country, self.doc_type, work_date, slug),
            work_date=work_date, expression_date=expression_date,
            language=language2(self.frbr.get("FRBRExpression.FRBRlanguage", "")), lifecycle=self._lifecycle(),
            clauses=self.clauses, registrations=list(dict.fromkeys(self.registrations)),
            depositaries=self._depositaries(), actions=self.actions, statements=self.statements, rule=self.rule,
        )

    def _title(self) -> tuple[str, int | None]:
        """The document's title (normalised) and the line it comes from."""
        candidates = [(self.titles.get(k), k, self.lines.get(k)) for k in TITLES]
        candidates += [(self.frbr.get("FRBRWork.alias"), "FRBRWork/FRBRalias", None),
                       (self.frbr.get("FRBRWork.FRBRname"), "FRBRWork/FRBRname", self.lines.get("FRBRWork.FRBRname"))]
        for value, element, line in candidates:
            value = normalise_line(value or "")
            if PLACEHOLDER_RE.match(value):
                self.refuse(line, f"the title ({element}) is '{value}', an unfilled template field. Fill in the title.")
            if value and value.casefold() not in UNTITLED:
                return value, line
        return normalise_line(Path(self.display).stem), None

    def _date(self, key, element, value=None, line=None):
        """An FRBR or lifecycle date as EDTF; one that is no date, or a template's `9999-01-01`, is refused."""
        value = ((self.frbr.get(key) or "") if value is None else (value or "")).strip()
        line = line or self.lines.get(key)
        if not value:
            return None
        try:
            parsed = parse_date(value)
        except InvalidDate:
            try:  # an xsd:date may carry a time zone, which EDTF lacks
                parsed = parse_date(re.sub(r"(?:Z|[+-]\d\d:\d\d)$", "", value[:XSD_DATE]))
            except InvalidDate:
                self.refuse(line, f"{element} is '{value}', not a date.")
        latest = dt.date.today().year + FUTURE_YEARS
        if parsed.lower and parsed.lower.year > latest:
            self.refuse(line, f"{element} is '{value}', a date no document has (an unfilled template's placeholder?):"
                        f" dates after {latest} are refused.")
        return parsed.text

    def _depositaries(self) -> list[str]:
        """Each depositary as the registry names it: a party by its code (from the TLC reference the export
        points at, `/ontology/organization/<code>`), anyone else by name."""
        out = []
        for name, refers in self.depositaries:
            href = self.organizations.get(refers, "")
            code = href.rsplit("/ontology/organization/", 1)[1] if "/ontology/organization/" in href else ""
            depositary = code if code and PARTY_CODE_RE.match(code) else name
            if depositary and depositary.casefold() not in {d.casefold() for d in out}:
                out.append(depositary)
        return out

    def _lifecycle(self):
        if self.actions:  # the registry's own export: its actions (pacta:action) say it exactly
            return []
        facts = []
        for i, (date, refers, kind) in enumerate(self.events):
            date = self._date("", "lifecycle/eventRef/@date", date, self.lines.get(f"eventRef.{i}"))
            words = f"{refers} {self.event_names.get(refers, '')} {kind}".lower()
            action = next((a for word, a in LIFECYCLE_WORDS if word in words), None)
            if date and action and (action, date) not in facts:
                facts.append((action, date))
        return facts


# The main document's metadata, by element name.
METADATA = {
    "identification": DocumentMetadata._identification,
    "eventRef": DocumentMetadata._event_ref,
    "TLCEvent": DocumentMetadata._tlc_event,
    "TLCOrganization": DocumentMetadata._tlc_organization,
}
# The registry's own metadata in `proprietary` (PACTA_NS), as its export writes it, by element name. Not
# `statement` for a participant's statement: that is a document type of Akoma Ntoso.
REGISTRY_METADATA = {
    "registration": DocumentMetadata._registration,
    "depositary": DocumentMetadata._depositary,
    "action": DocumentMetadata._action,
    "participantStatement": DocumentMetadata._participant_statement,
    "entryIntoForceRule": DocumentMetadata._entry_into_force_rule,
}
