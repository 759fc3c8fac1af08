"""Split a plain text copied from an official publication into clauses by its headings, in English and
French: "Article 1", "Art. 2", "ARTICLE III", "Article premier", "Section 4", "Chapter II", "Chapitre 2",
"Part 1", "Partie I", "Titre II". Parts and titles hold chapters, chapters hold articles and sections;
the text before the first heading is the preamble. Nothing is written here: `preview` shows what would be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction

from agreements import services
from agreements.domain import commands as c
from agreements.domain.errors import DomainError
from agreements.queries.agreements import slug_taken

from .documents import ImportedClause, ImportRefused, normalise_line

# word -> (eId prefix, level): a heading of a lower level belongs to the last one of a higher level.
HEADINGS = {
    "part": ("part", 1), "partie": ("part", 1), "title": ("title", 1), "titre": ("title", 1),
    "chapter": ("chp", 2), "chapitre": ("chp", 2),
    "article": ("art", 3), "art": ("art", 3), "section": ("sec", 3), "sec": ("sec", 3),
}
HEADING_RE = re.compile(
    r"^(?P<word>part|partie|title|titre|chapter|chapitre|article|art|section|sec)\.?\s+"
    r"(?P<num>premier|première|1er|\d+[A-Za-z]*(?:\.\d+)*(?:\s(?:bis|ter|quater))?|[IVXLCDM]+)\b\s*[.:\-–—)]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(text: str) -> int | None:
    text = text.upper()
    if not text or any(ch not in ROMAN for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = ROMAN[ch]
        total += -value if i + 1 < len(text) and ROMAN[text[i + 1]] > value else value
    return total


def _eid_number(num: str) -> str:
    if num.lower() in ("premier", "première", "1er"):
        return "1"
    if num.isdigit() or not num.isalpha():
        return num.replace(".", "-").replace(" ", "")
    value = roman_value(num)
    return str(value) if value else num.lower()


def _is_heading_line(line: str) -> bool:
    return 0 < len(line) <= 120 and not line.endswith((".", ";", ",", ":")) and not HEADING_RE.match(line)


def split(text: str) -> list[ImportedClause]:
    lines = [normalise_line(line) for line in text.replace("\r\n", "\n").split("\n")]
    clauses: list[ImportedClause] = []
    body: list[list[str]] = []
    open_levels: dict[int, str] = {}
    preamble: list[str] = []
    seen: set[str] = set()
    expect_heading = False
    for number, line in enumerate(lines, start=1):
        match = HEADING_RE.match(line)
        if match and (match.group("rest") == "" or not match.group("rest")[:1].islower()):
            prefix, level = HEADINGS[match.group("word").lower()]
            parents = [open_levels[lv] for lv in sorted(open_levels) if lv < level]
            eid = f"{prefix}_{_eid_number(match.group('num'))}"
            if parents and prefix != "art" and prefix != "sec":
                eid = f"{parents[-1]}__{eid}"
            base, k = eid, 1
            while eid in seen:
                k += 1
                eid = f"{base}-{k}"
            seen.add(eid)
            for lv in [lv for lv in open_levels if lv >= level]:
                del open_levels[lv]
            open_levels[level] = eid
            clauses.append(ImportedClause(eid=eid, number=match.group("num"), heading=match.group("rest")[:1000],
                                          parent=parents[-1] if parents else None, line=number))
            body.append([])
            expect_heading = not match.group("rest")
            continue
        if not clauses:
            if line:
                preamble.append(line)
            continue
        if expect_heading and line:
            expect_heading = False
            if _is_heading_line(line) and not clauses[-1].heading:
                clauses[-1].heading = line
                continue
        if line:
            body[-1].append(line)
    for clause, lines_of in zip(clauses, body):
        clause.text = "\n".join(lines_of)
    if preamble:
        clauses.insert(0, ImportedClause(eid="preamble", text="\n".join(preamble), line=1))
    return clauses


@dataclass
class PreviewRow:
    eid: str
    number: str
    heading: str
    first_words: str
    parent: str | None


def preview(clauses: list[ImportedClause], words: int = 12) -> list[PreviewRow]:
    rows = []
    for clause in clauses:
        head = clause.text.split()
        first = " ".join(head[:words]) + (" …" if len(head) > words else "")
        rows.append(PreviewRow(clause.eid, clause.number, clause.heading, first, clause.parent))
    return rows


def commands_for(clauses, *, language: str, effective: str | None) -> list[c.Command]:
    out = []
    for clause in clauses:
        data = {"eid": clause.eid, "text": clause.text, "text_kind": "official", "number": clause.number,
                "heading": clause.heading, "language": language, "parent": clause.parent, "effective": effective}
        try:
            out.append(c.parse_command("AddClause", {k: v for k, v in data.items() if v not in (None, "")}))
        except c.InvalidCommand as exc:
            field_name, messages = next(iter(exc.errors.items()))
            raise ImportRefused("text", clause.line, f"{clause.eid}: {field_name}: {' '.join(messages)}") from None
    return out


def write(slug: str, clauses, *, language: str = "en", effective: str | None = None, draft: c.DraftAgreement | None = None,
          user=None) -> int:
    """Write the clauses (and the agreement, when `draft` is given) as official text, in one transaction: a
    new agreement through the bulk path, clauses added to a stored one through the command path."""
    commands = ([draft] if draft else []) + commands_for(clauses, language=language, effective=effective)
    if draft and not slug_taken(slug):  # a new agreement: decided in memory, stored in one bulk load
        try:
            return services.handle_bulk([services.NewAgreement(slug, commands)], user=user).events
        except services.BulkRefused as refused:
            if not isinstance(refused.error, (DomainError, services.NotAllowed)):
                raise
            line = clauses[refused.index - 1].line if refused.index else None
            where = f"{commands[refused.index].eid}: " if refused.index else ""
            raise ImportRefused("text", line, f"refused by the registry: {where}{refused.error}") from None
    with transaction.atomic():
        results = services.handle_many(commands, slug=slug, user=user)
    return sum(len(r.events) for r in results)
