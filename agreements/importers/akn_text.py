"""The text of an Akoma Ntoso element as the registry keeps it: the element names the reader knows (units,
containers, blocks, what is left out) and the lines a unit's text is made of.

A unit's text is one line per block below it (`block_lines`), each numbered block's `num` leading its first
line, table rows as `cell | cell`; inside a block the running text (`inline_text`) keeps a `br` as a line
break and reads newlines of the XML source as spaces; notes and page furniture are left out.
"""

from __future__ import annotations

from lxml import etree

from .documents import normalise_line

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
WRAPPERS = {"component": "cmp", "attachment": "att"}
OWN_PARTS = {"num", "heading", "subheading", "intro", "wrapUp", "content"}  # a container's own, not children
LEAF_BLOCKS = {"p", "listIntroduction", "listWrapUp", "heading", "subheading", "docTitle", "docNumber", "tocItem",
               "formula", "signature"}
SKIPPED = {"authorialNote", "remark", "meta", "componentRef", "documentRef", "img", "marker"}
BREAKS = {"br", "eol", "eop"}
BLOCK_LIKE = LEAF_BLOCKS | BASIC_UNITS | CONTAINERS | OWN_PARTS | {
    "quotedStructure", "embeddedStructure", "blockList", "blockContainer", "container", "table", "tr", "td", "th",
    "tblock", "toc"}


def local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


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


def leaf_lines(el) -> list[str]:
    """The non-empty lines of an element's running text."""
    return [line for line in (normalise_line(x) for x in inline_text(el).split("\n")) if line]


def own(el, name) -> str:
    """The text of the element's first child called `name` (its `num`, its `heading`), on one line."""
    for child in el:
        if local(child.tag) == name:
            return " ".join(leaf_lines(child))
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
            out += leaf_lines(child)
        elif any(local(c.tag) == "num" for c in child) or any(local(c.tag) == "heading" for c in child):
            num, heading = own(child, "num"), own(child, "heading")
            below = block_lines(child)
            if num and below and not heading:
                below[0] = f"{num} {below[0]}"
            else:
                below.insert(0, " ".join(x for x in (num, heading) if x))
            out += [x for x in below if x]
        elif len(child):
            out += block_lines(child, skip=())
        else:
            out += leaf_lines(child)
        if child.tail and child.tail.strip() and name not in BREAKS:
            out.append(normalise_line(_flat(child.tail)))
    return out


def marked_kind(el) -> str:
    """`summary` or `translation` when every paragraph says so (as the registry's export marks them)."""
    classes = {p.get("class") or "" for p in el.iter() if local(p.tag) == "p"}
    return classes.pop() if len(classes) == 1 and classes <= {"summary", "translation"} else "official"
