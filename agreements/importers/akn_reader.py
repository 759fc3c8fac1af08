"""The streaming reader of an Akoma Ntoso file's structure: its units become clauses, its containers parent
clauses, its components and attachments qualified containers (the mapping: akn.py, docs/importing.md).

`Reader.start` opens units and containers as their start tags arrive; `Reader.end` reads each element when its
end tag arrives, by small handlers picked by the element's name. A number or heading longer than the registry
keeps (the domain's MAX_NUMBER, MAX_LINE) is refused, naming the element and its line, never cut.
"""

from __future__ import annotations

import re

from agreements.domain.fields import MAX_LINE, MAX_TEXT
from agreements.domain.vocabulary import EID_RE, MAX_EID, MAX_NUMBER

from .akn_document import DocumentMetadata
from .akn_text import (
    BASIC_UNITS, BODIES, CONTAINERS, DOCUMENT_PARTS, DOCUMENT_TYPES, GROUPED_UNIT, OWN_PARTS, PREAMBLE_UNITS,
    SKIPPED, TITLED_PARTS, WRAPPERS, block_lines, leaf_lines, local, marked_kind, own,
)
from .documents import ImportedClause, normalise_line

EID_SUFFIX_ROOM = 6  # "-2" ... "-99999": what tells apart eIds that meet, kept within MAX_EID
# How much of each part of a clause the registry keeps (the domain's limits): a longer one is refused, never cut.
LIMITS = {"number": MAX_NUMBER, "heading": MAX_LINE}


class _Frame:
    def __init__(self, element, clause: ImportedClause, wrapper: bool):
        self.element, self.clause, self.wrapper = element, clause, wrapper
        self.lines: list[str] = []


class Reader(DocumentMetadata):
    """Reads the file's elements as lxml's iterparse hands them over: `start` opens units and containers,
    `end` reads each when its end tag arrives, by handlers picked by the element's name (ENDS_ANYWHERE,
    CONTAINER_PARTS below the class; the metadata's in akn_document.py)."""

    def __init__(self, display: str):
        super().__init__(display)
        self.doc_depth = 0
        self.top_done = False  # the main document has ended: what follows (root `components`) is nested
        self.body_depth = 0
        self.unit = None
        self.frames: list[_Frame] = []
        self.seen: set[str] = set()
        self.given: dict[str, int | None] = {}  # eIds the file itself gives -> the line that first gave them
        self.counters: dict[str, int] = {}
        self.wrappers: dict[str, ImportedClause] = {}  # component eId -> its clause, for root `components`

    @property
    def in_top(self) -> bool:
        return self.doc_depth == 1 and not self.top_done

    def limited(self, value: str, part: str, el) -> str:
        """`value` as the clause's `part` (number, heading, title), refused when longer than the registry keeps:
        a shortened one would not be what the file says."""
        limit = LIMITS[part]
        if len(value) > limit:
            self.refuse(el.sourceline, f"the {part} of <{local(el.tag)}> has {len(value)} characters; the registry "
                        f"keeps at most {limit}, and a shortened {part} would not be the file's.")
        return value

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
            eid = f"{raw[:MAX_EID - EID_SUFFIX_ROOM]}-{k}"
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

    # -- start tags

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
                                number=self.limited(own(el, "num"), "number", el),
                                heading=self.limited(own(el, "heading"), "heading", el))
        clause.eid = self.eid_for(el, local(el.tag))
        self.clauses.append(clause)
        frame = _Frame(el, clause, wrapper=False)
        for child in el:
            if local(child.tag) in OWN_PARTS - {"num", "heading"}:
                frame.lines += block_lines(child, skip=())
        self.frames.append(frame)

    # -- end tags

    def end(self, el):
        """Read an element whose end tag has arrived: first what it says wherever it stands (a title, a
        component's reference), then what it closes (the unit, the container), or what it adds to the
        container it is part of, or to the document's metadata."""
        name = local(el.tag)
        anywhere = ENDS_ANYWHERE.get(name)
        if anywhere is not None:
            anywhere(self, el)
        if el is self.unit:
            self._close_unit(el, name)
        elif self.unit is not None:
            return  # inside a unit: read with the unit, when it ends
        elif self.frames and el is self.frames[-1].element:
            self._close_frame()
        elif self.frames and name in OWN_PARTS and el.getparent() is self.frames[-1].element:
            CONTAINER_PARTS[name](self, self.frames[-1], el)
        elif name in BODIES:
            self.body_depth -= 1
        elif self.in_top:
            self.metadata(el, name)
        if name in DOCUMENT_TYPES:
            self.doc_depth -= 1
            self.top_done = self.top_done or self.doc_depth == 0
        if name == "meta" or (self.unit is None and name in DOCUMENT_PARTS):
            el.clear(keep_tail=True)

    # what an element says wherever it stands (ENDS_ANYWHERE)

    def _document_ref(self, el):
        if self.frames and self.frames[-1].wrapper:
            href = (el.get("href") or "").strip()
            if href.startswith("#") and len(href) > 1:
                # the collection's component points at a root `components/component` by its eId
                self.wrappers.setdefault(href[1:], self.frames[-1].clause)
        if el.get("showAs"):
            self._name_component(el.get("showAs"), el)

    def _doc_title(self, el):
        """`docTitle`, `shortTitle`: the main document's title, or the heading of the component it titles."""
        text = " ".join(leaf_lines(el))
        if not self._title_of_document(el, text):
            self._name_component(text, el)

    def _long_title(self, el):
        self._title_of_document(el, " ".join(block_lines(el, skip=())))

    def _title_of_document(self, el, text) -> bool:
        """Keep the main document's first title of each kind; False when `el` is not the main document's."""
        name = local(el.tag)
        if not (self.in_top and text):
            return False
        if name not in self.titles:
            self.titles[name], self.lines[name] = text, el.sourceline
        return True

    def _name_component(self, text, el):
        """A component or attachment is headed by its document's title (or its reference's `showAs`)."""
        if self.frames and self.frames[-1].wrapper and not self.frames[-1].clause.heading:
            self.frames[-1].clause.heading = self.limited(normalise_line(text), "heading", el)

    # what a container's own part adds to it (CONTAINER_PARTS)

    def _container_number(self, frame, el):
        frame.clause.number = self.limited(" ".join(leaf_lines(el)), "number", el)

    def _container_heading(self, frame, el):
        frame.clause.heading = self.limited(" ".join(leaf_lines(el)), "heading", el)

    def _container_subheading(self, frame, el):
        frame.lines += leaf_lines(el)

    def _container_text(self, frame, el):
        """`intro`, `content`, `wrapUp`: the container's own text."""
        frame.lines += block_lines(el, skip=())

    # what closes

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
        clause = self._clause(el, name, "\n".join(lines), self.parent_eid())
        if clause.text or clause.number or clause.heading or units:
            self.clauses.append(clause)
        for part in units:
            self._preamble_unit(part, clause.eid)
        self._drop(el)

    def _preamble_unit(self, el, parent):
        clause = self._clause(el, PREAMBLE_UNITS[local(el.tag)], "\n".join(block_lines(el)), parent)
        if clause.text or clause.number or clause.heading:
            self.clauses.append(clause)

    def _clause(self, el, name, text, parent) -> ImportedClause:
        """The clause a unit is, its number, heading and text within the registry's limits."""
        clause = ImportedClause(
            eid=self.eid_for(el, name), number=self.limited(own(el, "num"), "number", el),
            heading=self.limited(own(el, "heading"), "heading", el), text=text, parent=parent, line=el.sourceline,
        )
        clause.text_kind = marked_kind(el)
        if len(clause.text) > MAX_TEXT:
            self.refuse(el.sourceline, f"the text of '{clause.eid}' has more than {MAX_TEXT} characters.")
        return clause

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


# What an end tag does wherever the element stands, by its name.
ENDS_ANYWHERE = {
    "documentRef": Reader._document_ref,
    "docTitle": Reader._doc_title,
    "shortTitle": Reader._doc_title,
    "longTitle": Reader._long_title,
}
# What a container's own part (right inside it) adds to its clause, by the part's name (OWN_PARTS).
CONTAINER_PARTS = {
    "num": Reader._container_number,
    "heading": Reader._container_heading,
    "subheading": Reader._container_subheading,
    "intro": Reader._container_text,
    "content": Reader._container_text,
    "wrapUp": Reader._container_text,
}
if set(CONTAINER_PARTS) != OWN_PARTS:
    raise ImportError("every own part of a container (OWN_PARTS) needs its handler in CONTAINER_PARTS")
