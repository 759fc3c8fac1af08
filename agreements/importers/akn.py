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
the file gives twice, a number, heading or title longer than the registry keeps (never cut), a file over
PACTA_AKN_MAX_BYTES.

This module checks the file (its size, no DOCTYPE, the root element) and streams it through the reader
(`akn_reader.Reader`: units and containers; `akn_document`: the metadata and the document; `akn_text`: the
text of a unit; `akn_works`: the work's kind, slug and URI).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.conf import settings
from lxml import etree

from .akn_reader import Reader
from .akn_works import registry_work_uri, slug_for
from .documents import ImportedDocument, ImportRefused

__all__ = ["read", "max_file_bytes", "refuse_dtd", "registry_work_uri", "slug_for"]

NS_PREFIX = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
PROLOG_BYTES = 1 << 20  # how far to look for a DOCTYPE before the root element


def read(path, display: str | None = None) -> ImportedDocument:
    """Read one file. A malformed or non-AKN file raises ImportRefused naming the file and the line."""
    path = Path(path)
    display = display or str(path)
    reader = Reader(display)
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
