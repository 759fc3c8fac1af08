"""Read an Akoma Ntoso 3.0 file into an ImportedDocument, streaming (lxml iterparse): each unit is read
when its end tag arrives and then dropped from the tree, so memory and time grow with the file, not faster.

Mapping (docs/importing.md):
- basic units (`article`, `section`, `rule`, `regulation`, and `paragraph` and its kin where they are the
  top unit) become clauses with the eId the file gives them; everything below a unit (subsections,
  paragraphs, points, lists, tables) stays in the clause's text, one line per block, with its numbering;
- containers (`part`, `chapter`, `title`, `division`, `hcontainer`, ...) become parent clauses, their
  intro or content as their own text;
- `coverPage` and `preface` (less the title), `preamble` and `conclusions` become clauses of those names; the
  preamble's citations and recitals are clauses of their own below it; a unit that holds articles (an EU
  `section`) is a container of them;
- the registry's own metadata in `proprietary` (`pacta:registration`, `pacta:depositary`, as its export
  writes them) become the agreement's registrations and depositaries (a party depositary by its TLC code);
- a `documentCollection` is one agreement: each component is a container clause (`cmp_1`) whose document's
  units are its children, their eIds qualified by the component's (`cmp_1__art_1`); attachments
  (schedules, annexes, and a `doc` in `attachments` without its `attachment`) are read the same way (`att_1__...`).

Refused, naming the element and its line: unfilled template metadata (a fragment or placeholder work URI,
a placeholder title, a date that is none or a template's `9999-01-01`), a DOCTYPE (DTDs and entities), an eId
the file gives twice, a file over PACTA_AKN_MAX_BYTES.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path

from django.conf import settings
from lxml import etree

from agreements.domain.commands import MAX_TEXT
from agreements.domain.dates import InvalidDate, parse_date
from agreements.domain.languages import language2
from agreements.domain.vocabulary import MAX_EID, EID_RE, KINDS, PARTY_CODE_RE, SLUG_RE, WORK_URI_RE

from .documents import ImportedClause, ImportedDocument, ImportRefused, normalise_line

NS_PREFIX = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
PACTA_NS = "https://pacta.invalid/ns/dates"  # the registry's own metadata in `proprietary` (agreements.api.akn)
DOCUMENT_TYPES = {
    "act", "bill", "doc", "statement", "documentCollection", "amendment", "amendmentList", "officialGazette",
    "debate", "debateReport", "judgment", "portion",
}
BODIES = {"body", "mainBody", "collectionBody", "amendmentBody", "judgmentBody", "debateBody", "portionBody"}
BASIC_UNITS = {
    "article", "section", "rule", "regulation", "paragraph", "subparagraph", "subsection", "clause", "subclause",
    "point", "item", "alinea", "indent", "list", "proviso", "subrule", "transitional",
}
CONTAINERS = {
    "part", "subpart", "chapter", "subchapter", "title", "subtitle", "book", "tome", "division", "subdivision",
    "level", "hcontainer",
}
GROUPED_UNIT = "article"  # an `article` inside another unit (EU `section`s) makes that unit a container
DOCUMENT_PARTS = {"coverPage", "preface", "preamble", "conclusions"}
TITLED_PARTS = {"coverPage", "preface"}  # the document's title is left out of their text
PREAMBLE_UNITS = {"recital": "rec", "citation": "cit"}  # units of their own inside a preamble
# Page furniture of a printed layout (EU files repeat the language and page number in footers): not text.
FURNITURE = {"footer", "header", "repeatableNotFirstPage", "repeatableFirstPage", "pageNumber", "pageHeader",
             "pageFooter"}
# Drafting systems export unfilled template fields: `#varWorkUri`, `#varBillTitle`, `${title}`, `{{title}}`.
PLACEHOLDER_RE = re.compile(r"^\s*(?:#\w*|\$\{[^}]*\}|\{\{[^}]*\}\}|#?var[A-Z]\w*)\s*$")
UNTITLED = {"untitled", "no title", "title"}  # a title field left at its template default: look further
FUTURE_YEARS = 100  # a document date later than this many years ahead is a template's `9999-01-01`
PROLOG_BYTES = 1 << 20  # how far to look for a DOCTYPE before the root element
WRAPPERS = {"component": "cmp", "attachment": "att"}
OWN_PARTS = {"num", "heading", "subheading", "intro", "wrapUp", "content"}  # a container's own, not children
LEAF_BLOCKS = {"p", "listIntroduction", "listWrapUp", "heading", "subheading", "docTitle", "docNumber", "tocItem",
               "formula", "signature"}
SKIPPED = {"authorialNote", "remark", "meta", "componentRef", "documentRef", "img", "marker"}
BREAKS = {"br", "eol", "eop"}
BLOCK_LIKE = LEAF_BLOCKS | BASIC_UNITS | CONTAINERS | OWN_PARTS | {
    "quotedStructure", "embeddedStructure", "blockList", "blockContainer", "container", "table", "tr", "td", "th",
    "tblock", "toc"}
KIND_OF_TYPE = {"act": "act", "bill": "bill", "statement": "statement"}
LIFECYCLE_WORDS = (
    ("signature", "signature"), ("signed", "signature"), ("sign", "signature"), ("ratif", "ratification"),
    ("accession", "accession"), ("approv", "approval"), ("commenc", "entry_into_force"),
    ("in force", "entry_into_force"), ("inforce", "entry_into_force"), ("entry", "entry_into_force"),
    ("repeal", "termination"), ("terminat", "termination"), ("suspen", "suspension"), ("withdraw", "withdrawal"),
    ("denunc", "denunciation"),
)


def local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


# ---------------------------------------------------------------- text of a unit


def _flat(text) -> str:
    return (text or "").replace("\n", " ").replace("\r", " ")


def inline_text(el) -> str:
    """The running text of an element, notes left out; a `br` is a line break, source newlines are spaces."""
    parts = [_flat(el.text)]
    for child in el:
        name = local(child.tag)
        if name in BREAKS:
            parts.append("\n")
        elif name and name not in SKIPPED and child.get("name") not in FURNITURE:
            # blocks inside running text (a quoted article's num and content) are words apart, never glued
            parts.append(f" {inline_text(child)} " if name in BLOCK_LIKE else inline_text(child))
        parts.append(_flat(child.tail))
    return "".join(parts)


def _leaf_lines(el) -> list[str]:
    return [line for line in (normalise_line(x) for x in inline_text(el).split("\n")) if line]


def _own(el, name):
    for child in el:
        if local(child.tag) == name:
            return " ".join(_leaf_lines(child))
    return ""


def block_lines(el, skip=("num", "heading")) -> list[str]:
    """One line per block below `el`; a numbered block's number leads its first line."""
    out = []
    if el.text and el.text.strip():
        out.append(normalise_line(_flat(el.text)))
    for child in el:
        name = local(child.tag)
        if not name or name in SKIPPED or name in skip or child.get("name") in FURNITURE:
            pass
        elif name == "tr":
            # A cell's paragraphs are words apart, not glued ("1 Section number", not "1Section number").
            cells = [" ".join(block_lines(cell, skip=())) for cell in child if local(cell.tag) in ("td", "th")]
            out.append(" | ".join(cells))
        elif name in LEAF_BLOCKS:
            out += _leaf_lines(child)
        elif any(local(c.tag) == "num" for c in child) or any(local(c.tag) == "heading" for c in child):
            num, heading = _own(child, "num"), _own(child, "heading")
            below = block_lines(child)
            if num and below and not heading:
                below[0] = f"{num} {below[0]}"
            else:
                below.insert(0, " ".join(x for x in (num, heading) if x))
            out += [x for x in below if x]
        elif len(child):
            out += block_lines(child, skip=())
        else:
            out += _leaf_lines(child)
        if child.tail and child.tail.strip() and name not in BREAKS:
            out.append(normalise_line(_flat(child.tail)))
    return out


# ---------------------------------------------------------------- the streaming reader


class _Frame:
    def __init__(self, element, clause: ImportedClause, wrapper: bool):
        self.element, self.clause, self.wrapper = element, clause, wrapper
        self.lines: list[str] = []


class _Reader:
    def __init__(self, path: Path, display: str):
        self.path, self.display = path, display
        self.doc_depth = 0
        self.top_done = False  # the main document has ended: what follows (root `components`) is nested
        self.body_depth = 0
        self.doc_type = ""
        self.doc_name = ""
        self.unit = None
        self.frames: list[_Frame] = []
        self.clauses: list[ImportedClause] = []
        self.seen: set[str] = set()
        self.given: dict[str, int | None] = {}  # eIds the file itself gives -> the line that first gave them
        self.lines: dict[str, int | None] = {}  # FRBR field, title or event -> its line, for refusals
        self.counters: dict[str, int] = {}
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
        self.wrappers: dict[str, ImportedClause] = {}  # component eId -> its clause, for root `components`

    @property
    def in_top(self) -> bool:
        return self.doc_depth == 1 and not self.top_done

    def refuse(self, line, message):
        raise ImportRefused(self.display, line, message)

    # -- eIds

    def _qualifier(self):
        for frame in reversed(self.frames):
            if frame.wrapper:
                return frame.clause.eid
        return None

    def eid_for(self, el, name: str) -> str:
        given = (el.get("eId") or el.get("id") or "").strip()
        raw = re.sub(r"[^A-Za-z0-9_.\-]", "-", given).strip("-_.")
        raw = re.sub(r"_{3,}", "__", raw)
        if raw and not raw[0].isalpha():
            raw = f"{name}_{raw}"
        prefix = self._qualifier()
        if not raw or not EID_RE.match(raw):
            raw = name if name in DOCUMENT_PARTS else self._numbered(WRAPPERS.get(name, name), prefix)
        if prefix and not raw.startswith(prefix + "__"):
            raw = f"{prefix}__{raw}"
        if given:
            key = f"{prefix}__{given}" if prefix else given
            if key in self.given:
                self.refuse(el.sourceline, f"the eId '{given}' is used twice, on line {self.given[key]} and on line "
                            f"{el.sourceline}: eIds are unique in an Akoma Ntoso document.")
            self.given[key] = el.sourceline
        eid, k = raw[:MAX_EID], 1
        while eid in self.seen:  # an eId made here, or cleaned, that meets another: a suffix, in document order
            k += 1
            eid = f"{raw[:MAX_EID - 6]}-{k}"
        self.seen.add(eid)
        return eid

    def _numbered(self, name, prefix):
        """The next unused `name_N`, for an element the file gives no usable eId."""
        while True:
            n = self.counters[name] = self.counters.get(name, 0) + 1
            eid = f"{name}_{n}"
            if (f"{prefix}__{eid}" if prefix else eid) not in self.seen:
                return eid

    def parent_eid(self):
        return self.frames[-1].clause.eid if self.frames else None

    # -- events

    def start(self, el):
        name = local(el.tag)
        if name in DOCUMENT_TYPES:
            self.doc_depth += 1
            if not self.doc_type:
                self.doc_type, self.doc_name = name, el.get("name") or ""
            parent = el.getparent()
            if self.unit is None and parent is not None and local(parent.tag) == "attachments":
                # A document in `attachments` without its `attachment` wrapper (as a parliament's bulk data has
                # it) is an attachment all the same, not more clauses of the main document.
                self._open_frame(el, "attachment", wrapper=True)
            return
        if self.unit is not None:
            # only an article right inside the unit: one quoted in an amendment (`quotedStructure`, `mod`) is text
            if (name == GROUPED_UNIT and el.getparent() is self.unit and local(self.unit.tag) != GROUPED_UNIT
                    and self.body_depth):
                self._promote(self.unit)
                self.unit = el
            return
        if self.doc_depth == 0 and not (self.top_done and name in WRAPPERS):
            return
        parent = el.getparent()
        parent_name = local(parent.tag) if parent is not None else ""
        if name in BODIES:
            self.body_depth += 1
        elif name in WRAPPERS:
            self._open_frame(el, name, wrapper=True)
        elif self.body_depth and name in CONTAINERS:
            self._open_frame(el, name, wrapper=False)
        elif self.body_depth and (name in BASIC_UNITS or self._loose(name, parent, parent_name)):
            self.unit = el
        elif name in DOCUMENT_PARTS and parent_name in DOCUMENT_TYPES:
            self.unit = el

    def _loose(self, name, parent, parent_name):
        """A block directly in a body or a container (a `p` in a mainBody) is a unit of its own."""
        if name in SKIPPED:
            return False
        if name in OWN_PARTS:
            return parent_name in BODIES and name not in ("num", "heading")
        if parent_name in BODIES:
            return True
        return bool(self.frames) and parent is self.frames[-1].element

    def _open_frame(self, el, name, wrapper):
        known = self.wrappers.get(el.get("eId") or "") if wrapper else None
        if known is not None and not known.text:
            # A root `components/component` holds the document a collection's component referred to.
            self.frames.append(_Frame(el, known, wrapper))
            return
        clause = ImportedClause(eid="", parent=self.parent_eid(), line=el.sourceline)
        clause.eid = self.eid_for(el, name)
        self.clauses.append(clause)
        if wrapper:
            self.wrappers[clause.eid] = clause
        self.frames.append(_Frame(el, clause, wrapper))

    def _promote(self, el):
        """A unit that turns out to hold articles (an EU `section` grouping articles) is a container: its
        number, heading and intro are its own, each article a clause of its own below it."""
        clause = ImportedClause(eid="", parent=self.parent_eid(), line=el.sourceline,
                                number=_own(el, "num")[:50], heading=_own(el, "heading")[:1000])
        clause.eid = self.eid_for(el, local(el.tag))
        self.clauses.append(clause)
        frame = _Frame(el, clause, wrapper=False)
        for child in el:
            if local(child.tag) in OWN_PARTS - {"num", "heading"}:
                frame.lines += block_lines(child, skip=())
        self.frames.append(frame)

    def end(self, el):
        name = local(el.tag)
        if name == "documentRef" and self.frames and self.frames[-1].wrapper:
            href = (el.get("href") or "").strip()
            if href.startswith("#") and len(href) > 1:
                # the collection's component points at a root `components/component` by its eId
                self.wrappers.setdefault(href[1:], self.frames[-1].clause)
        if name in ("docTitle", "shortTitle", "longTitle") or (name == "documentRef" and el.get("showAs")):
            if name == "documentRef":
                text = el.get("showAs")
            elif name == "longTitle":
                text = " ".join(block_lines(el, skip=()))
            else:
                text = " ".join(_leaf_lines(el))
            if self.in_top and text and name != "documentRef":
                if name not in self.titles:
                    self.titles[name], self.lines[name] = text, el.sourceline
            elif name != "longTitle" and self.frames and self.frames[-1].wrapper and not self.frames[-1].clause.heading:
                self.frames[-1].clause.heading = normalise_line(text)[:1000]
        if el is self.unit:
            self._close_unit(el, name)
        elif self.unit is not None:
            return
        elif self.frames and el is self.frames[-1].element:
            self._close_frame()
        elif self.frames and name in OWN_PARTS and el.getparent() is self.frames[-1].element:
            frame = self.frames[-1]
            if name == "num":
                frame.clause.number = " ".join(_leaf_lines(el))[:50]
            elif name == "heading":
                frame.clause.heading = " ".join(_leaf_lines(el))[:1000]
            else:
                frame.lines += block_lines(el, skip=()) if name != "subheading" else _leaf_lines(el)
        elif name in BODIES:
            self.body_depth -= 1
        elif self.in_top:
            self._metadata(el, name)
        if name in DOCUMENT_TYPES:
            self.doc_depth -= 1
            self.top_done = self.top_done or self.doc_depth == 0
        if name == "meta" or (self.unit is None and name in DOCUMENT_PARTS):
            el.clear(keep_tail=True)

    def _close_unit(self, el, name):
        self.unit = None
        units = [x for x in el.iter() if local(x.tag) in PREAMBLE_UNITS] if name == "preamble" else []
        if units:
            # recitals and citations are units of their own (the EU AI Act has 180 recitals: one clause of them
            # all would pass the limit of a clause's text); the preamble keeps its formulas and intros
            skip = ("num", "heading", "recitals", "citations")
            lines = block_lines(el, skip=skip) + [
                line for group in el if local(group.tag) in ("recitals", "citations")
                for part in group if local(part.tag) == "intro" for line in block_lines(part, skip=())]
        else:
            lines = block_lines(el)
        if name in TITLED_PARTS:
            titles = set(self.titles.values()) | {f.clause.heading for f in self.frames if f.wrapper}
            lines = [x for x in lines if x not in titles]
        clause = ImportedClause(
            eid=self.eid_for(el, name), number=_own(el, "num")[:50], heading=_own(el, "heading")[:1000],
            text="\n".join(lines), parent=self.parent_eid(), line=el.sourceline,
        )
        clause.text_kind = _marked_kind(el)
        if len(clause.text) > MAX_TEXT:
            self.refuse(el.sourceline, f"the text of '{clause.eid}' has more than {MAX_TEXT} characters.")
        if clause.text or clause.number or clause.heading or units:
            self.clauses.append(clause)
        for part in units:
            self._preamble_unit(part, clause.eid)
        self._drop(el)

    def _preamble_unit(self, el, parent):
        name = local(el.tag)
        clause = ImportedClause(
            eid=self.eid_for(el, PREAMBLE_UNITS[name]), number=_own(el, "num")[:50],
            heading=_own(el, "heading")[:1000], text="\n".join(block_lines(el)), parent=parent, line=el.sourceline)
        clause.text_kind = _marked_kind(el)
        if len(clause.text) > MAX_TEXT:
            self.refuse(el.sourceline, f"the text of '{clause.eid}' has more than {MAX_TEXT} characters.")
        if clause.text or clause.number or clause.heading:
            self.clauses.append(clause)

    def _close_frame(self):
        frame = self.frames.pop()
        frame.clause.text = "\n".join(x for x in frame.lines if x)
        if not (frame.clause.text or frame.clause.number or frame.clause.heading):
            frame.clause.heading = frame.clause.eid  # an unnamed container still groups its children
        self._drop(frame.element)

    @staticmethod
    def _drop(el):
        """Free what has been read: the element and the siblings before it."""
        el.clear(keep_tail=True)
        parent = el.getparent()
        if parent is not None:
            while el.getprevious() is not None:
                del parent[0]

    def _metadata(self, el, name):
        if name == "identification":
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
        elif name == "eventRef":
            self.events.append((el.get("date") or "", (el.get("refersTo") or "").lstrip("#"), el.get("type") or ""))
            self.lines.setdefault(f"eventRef.{len(self.events) - 1}", el.sourceline)
        elif name == "TLCEvent":
            self.event_names[el.get("eId") or el.get("id") or ""] = el.get("showAs") or ""
        elif name == "TLCOrganization":
            self.organizations[el.get("eId") or el.get("id") or ""] = el.get("href") or ""
        elif etree.QName(el.tag).namespace == PACTA_NS:
            self._registry_metadata(el, name)

    def _registry_metadata(self, el, name):
        """The registry's own facts in `proprietary` (as its export writes them): registrations, depositaries."""
        if name == "registration":
            number, date = normalise_line(el.get("number") or ""), (el.get("edtf") or "").strip()
            if number or date:
                self.registrations.append((number, date, normalise_line(el.get("body") or "")))
        elif name == "depositary":
            refers = (el.get("refersTo") or "").lstrip("#")
            self.depositaries.append((normalise_line(el.get("name") or ""), refers))
        elif name == "action":
            self.actions.append({"action": el.get("action"), "party": el.get("party"), "date": el.get("edtf"),
                                 "effective": el.get("effective"), "predecessor": el.get("predecessor"),
                                 "territory": el.get("territory"), "notification": el.get("notification"),
                                 "line": el.sourceline})
        elif name == "participantStatement":  # not `statement`: that is a document type of Akoma Ntoso
            self.statements.append({"id": el.get("id"), "party": el.get("party"), "kind": el.get("kind"),
                                    "language": el.get("language"), "date": el.get("edtf"),
                                    "made_at": el.get("madeAt"), "eids": (el.get("eids") or "").split(),
                                    "objects_to": el.get("objectsTo"),
                                    "opposes_entry_into_force": el.get("opposesEntryIntoForce") == "true",
                                    "text": el.text or "", "line": el.sourceline})
        elif name == "entryIntoForceRule":
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
        title = self._title()
        country = (self.frbr.get("FRBRWork.FRBRcountry") or "").lower()
        slug = slug_for(uri)
        return ImportedDocument(
            file=self.display, doc_type=self.doc_type, kind=kind_for(self.doc_type, self.doc_name,
                                                                       self.frbr.get("FRBRWork.FRBRname")),
            title=normalise_line(title)[:1000], source_uri=uri,
            work_uri=registry_work_uri(uri, country, self.doc_type, work_date, slug), slug=slug,
            former_work_uri=former_work_uri(uri, country, self.doc_type, work_date, slug),
            work_date=work_date, expression_date=expression_date,
            language=language2(self.frbr.get("FRBRExpression.FRBRlanguage", "")), lifecycle=self._lifecycle(),
            clauses=self.clauses, registrations=list(dict.fromkeys(self.registrations)),
            depositaries=self._depositaries(), actions=self.actions, statements=self.statements, rule=self.rule,
        )

    def _title(self) -> str:
        candidates = [(self.titles.get(k), k, self.lines.get(k)) for k in ("docTitle", "shortTitle", "longTitle")]
        candidates += [(self.frbr.get("FRBRWork.alias"), "FRBRWork/FRBRalias", None),
                       (self.frbr.get("FRBRWork.FRBRname"), "FRBRWork/FRBRname", self.lines.get("FRBRWork.FRBRname"))]
        for value, element, line in candidates:
            value = normalise_line(value or "")
            if PLACEHOLDER_RE.match(value):
                self.refuse(line, f"the title ({element}) is '{value}', an unfilled template field. Fill in the title.")
            if value and value.casefold() not in UNTITLED:
                return value
        return Path(self.display).stem

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
                parsed = parse_date(re.sub(r"(?:Z|[+-]\d\d:\d\d)$", "", value[:10]))
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


def _marked_kind(el) -> str:
    """`summary` or `translation` when every paragraph says so (as the registry's export marks them)."""
    classes = {p.get("class") or "" for p in el.iter() if local(p.tag) == "p"}
    return classes.pop() if len(classes) == 1 and classes <= {"summary", "translation"} else "official"


def _edtf(value):
    if not value:
        return None
    try:
        return parse_date(value.strip()).text
    except InvalidDate:
        return None


def kind_for(doc_type: str, name: str, frbr_name: str | None) -> str:
    for candidate in (name, frbr_name):
        if candidate and candidate.lower() in KINDS:
            return candidate.lower()
    return KIND_OF_TYPE.get(doc_type, "document")


def slug_for(uri: str) -> str:
    """A stable slug from a work URI: the registry's own treaty URIs give back their slug; others join
    their components (`/akn/za/act/2009/10` -> `za-act-2009-10`, ELI and legislation.gov.uk URIs likewise)."""
    path = re.sub(r"^[a-z]+://[^/]+", "", uri.strip()).strip("/")
    parts = [p for p in path.split("/") if p and not p.startswith("!")]
    if parts[:3] == ["akn", "int", "treaty"] and len(parts) == 5 and SLUG_RE.match(parts[4]):
        return parts[4]
    parts = [p for p in parts if p not in ("akn", "id", "eli")]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")
    if not slug:
        slug = "work-" + hashlib.sha1(uri.encode()).hexdigest()[:10]
    return slug[:120].rstrip("-")


def registry_work_uri(uri: str, country: str, doc_type: str, work_date: str | None, slug: str) -> str:
    """The file's own work URI when it is an Akoma Ntoso one; otherwise one built in the same style."""
    if WORK_URI_RE.match(uri) and len(uri) <= 300:
        return uri.rstrip("/")
    if not re.fullmatch(r"[a-z]{2,3}(?:-[a-z0-9]+)?", country):
        country = "int"
    # The year comes from the URI itself: a consolidated text gives its own date as the work's, and a work is
    # its URI, whatever the date of the file that names it.
    year = _uri_year(uri) or "undated"
    return f"/akn/{country}/{doc_type}/{year}/{slug}"


def _uri_year(uri: str) -> str | None:
    path = re.sub(r"^[a-z]+://[^/]+", "", uri.strip())
    return next((p for p in path.split("/") if re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", p)), None)


def former_work_uri(uri: str, country: str, doc_type: str, work_date: str | None, slug: str) -> str | None:
    """The registry URI an earlier importer built from the file's work date (before a work was its URI):
    works imported then are still found under it."""
    if WORK_URI_RE.match(uri) and len(uri) <= 300:
        return None
    if not re.match(r"^[a-z]{2,3}(?:-[a-z0-9]+)?$", country):
        country = "int"
    year = work_date[:4] if work_date and work_date[:4].isdigit() else "undated"
    former = f"/akn/{country}/{doc_type}/{year}/{slug}"
    return former if former != registry_work_uri(uri, country, doc_type, work_date, slug) else None


def read(path, display: str | None = None) -> ImportedDocument:
    """Read one file. A malformed or non-AKN file raises ImportRefused naming the file and the line."""
    path = Path(path)
    display = display or str(path)
    reader = _Reader(path, display)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ImportRefused(display, None, f"cannot be read: {exc}") from None
    if size > max_file_bytes():
        raise ImportRefused(display, None, f"is {size} bytes; Akoma Ntoso files of at most {max_file_bytes()} bytes "
                                           "are imported (PACTA_AKN_MAX_BYTES).")
    refuse_dtd(path, display)
    try:
        context = etree.iterparse(
            str(path), events=("start", "end"), huge_tree=True, resolve_entities=False, no_network=True,
            load_dtd=False, remove_comments=True, remove_pis=True,
        )
        first = True
        for event, el in context:
            if first:
                first = False
                qname = etree.QName(el.tag)
                if el.getroottree().docinfo.doctype:  # a DOCTYPE beyond the prolog that refuse_dtd read
                    reader.refuse(el.sourceline, "a DOCTYPE before the root element: DTDs and entities are refused.")
                if qname.localname != "akomaNtoso" or not (qname.namespace or "").startswith(NS_PREFIX):
                    reader.refuse(el.sourceline, f"not an Akoma Ntoso 3.0 file: the root element is <{qname.localname}>"
                                  f" in namespace '{qname.namespace or ''}'.")
            if event == "start":
                reader.start(el)
            else:
                reader.end(el)
    except etree.XMLSyntaxError as exc:
        raise ImportRefused(display, exc.lineno or (exc.position[0] if exc.position else None),
                            f"not well-formed XML: {exc.msg}") from None
    except OSError as exc:
        raise ImportRefused(display, None, f"cannot be read: {exc}") from None
    return reader.document()


def max_file_bytes() -> int:
    return int(getattr(settings, "PACTA_AKN_MAX_BYTES", 64 * 1024 * 1024))


_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)")
_ROOT = re.compile(rb"<[A-Za-z_]")


def refuse_dtd(path, display) -> None:
    """Refuse a document type declaration before parsing, naming the line of the first entity it declares (or of
    the DOCTYPE): a DTD's entities are expanded or dropped by parsers in silence, or blow up (billion laughs).
    Akoma Ntoso files need none; `defusedxml` refuses them likewise."""
    with open(path, "rb") as fh:
        head = fh.read(PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: look at it as bytes of its characters
        head = head.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    doctype = _DOCTYPE.search(head)
    root = _ROOT.search(head)
    if doctype is None or (root is not None and root.start() < doctype.start()):
        return
    line = head.count(b"\n", 0, doctype.start()) + 1
    entity = _ENTITY.search(head, doctype.start())
    if entity is not None:
        name = (entity.group(1) or b"").decode() + entity.group(2).decode("utf-8", errors="replace")
        raise ImportRefused(display, head.count(b"\n", 0, entity.start()) + 1,
                            f"the DOCTYPE (line {line}) declares the entity '{name.replace(' ', '')}': DTDs and "
                            "entities are refused (they can expand without bound or be dropped in silence).")
    raise ImportRefused(display, line, "a DOCTYPE: DTDs and entities are refused; Akoma Ntoso files need none.")
