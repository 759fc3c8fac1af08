"""Split a plain text copied from an official publication into clauses by its headings, in English, French
and Spanish: "Article 1", "Art. 2", "ARTICLE III", "Article premier", "Section 4", "SECTION C", "Chapter II",
"CHAPTER ONE", "Chapitre 2", "Part 1", "Partie I", "Titre II", "Artículo 5", "Capítulo II", "Título I",
"Sección 2". Parts and titles hold chapters, chapters hold articles and sections; the text before the first
heading is the preamble. Nothing is written here: `preview` shows what would be, and `warnings` what looks
wrong with it (one clause only, fewer articles than the headings number) before the archivist confirms.

A heading is a line that starts with a heading word and a number and does not run on as a sentence: "Article
21.8 (Consultations), the Parties shall…" on a line of its own is a wrapped sentence, not a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction

from agreements import services
from agreements.domain.commands import Command, DraftAgreement, parse_command
from agreements.domain.fields import MAX_LINE
from agreements.domain.errors import DomainError, InvalidCommand
from agreements.queries.agreements import slug_taken

from .documents import ImportedClause, ImportRefused, normalise_line

# word -> (eId prefix, level): a heading of a lower level belongs to the last one of a higher level.
HEADINGS = {
    "part": ("part", 1), "partie": ("part", 1), "parte": ("part", 1), "title": ("title", 1), "titre": ("title", 1),
    "título": ("title", 1), "titulo": ("title", 1), "libro": ("title", 1),
    "chapter": ("chp", 2), "chapitre": ("chp", 2), "capítulo": ("chp", 2), "capitulo": ("chp", 2),
    "article": ("art", 3), "art": ("art", 3), "artículo": ("art", 3), "articulo": ("art", 3),
    "section": ("sec", 3), "sec": ("sec", 3), "sección": ("sec", 3), "seccion": ("sec", 3),
}
# Numbers written as words ("CHAPTER ONE", "Artículo primero", "Article premier").
NUMBER_WORDS = {
    **{w: i for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                                  "fifteen sixteen seventeen eighteen nineteen twenty".split(), start=1)},
    **{w: i for i, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1)},
    **{w: i for i, w in enumerate("primero segundo tercero cuarto quinto sexto séptimo octavo noveno décimo".split(),
                                  start=1)},
    "premier": 1, "première": 1, "1er": 1, "único": 1, "unico": 1, "primera": 1, "segunda": 2, "tercera": 3,
}
_WORDS = "|".join(sorted(map(re.escape, HEADINGS), key=len, reverse=True))
_NUMBER_WORDS = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
HEADING_RE = re.compile(
    rf"^(?P<word>{_WORDS})\.?\s+"
    rf"(?P<num>(?:{_NUMBER_WORDS})(?=\W|$)|\d+[A-Za-z]*(?:\.\d+)*(?:\s(?:bis|ter|quater))?|[IVXLCDM]+\b|[A-Z]\b)"
    r"\s*[.:\-–—)º°]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# A heading's remainder that is a sentence running on: "(Consultations), the Parties…", "(a) of this…", or a
# parenthesis left open at the end of the line ("(Consultations and").
_RUNS_ON = re.compile(r"^\((?:[^)]*$|[^)]*\)\s*[,;:]?\s*[a-zà-ÿ,;])")
WRAPPED_LINE = 40  # a line this long that stops mid-word-run (lowercase or comma) goes on in the next line
# Lines that look like headings in a language the splitter does not read (for the warning, not for splitting).
FOREIGN_HEADING_RE = re.compile(
    r"^(?:artikel|articolo|artigo|artykuł|článek|статья|стаття|madde|maddə|المادة|第)\s*\d+", re.IGNORECASE)
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
    if num.lower() in NUMBER_WORDS:
        return str(NUMBER_WORDS[num.lower()])
    if num.isdigit() or not num.isalpha():
        return num.replace(".", "-").replace(" ", "")
    if len(num) == 1 and num.upper() not in "IVX":  # "SECTION C" is section C, not section 100
        return num.lower()
    value = roman_value(num)
    return str(value) if value else num.lower()


def number_value(num: str) -> int | None:
    """The value of a heading's number, where it has one (for the count the headings announce)."""
    word = num.lower()
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if num.isdigit():
        return int(num)
    if len(num) == 1 and num.upper() not in "IVX":
        return None
    return roman_value(num)


def heading_match(line: str, previous: str = ""):
    """The heading a line starts, or None: a heading word and a number, and no sentence running on from the line
    before or into the words after."""
    match = HEADING_RE.match(line)
    if not match:
        return None
    rest = match.group("rest")
    if rest[:1].islower() or _RUNS_ON.match(rest):
        return None
    if (rest and len(previous) >= WRAPPED_LINE and (previous[-1:].islower() or previous.endswith(","))
            and any(ch.islower() for ch in rest)):
        return None  # the line before stops mid-sentence: this is its continuation, wrapped
    return match


def _is_heading_line(line: str, previous: str = "") -> bool:
    return 0 < len(line) <= 120 and not line.endswith((".", ";", ",", ":")) and not heading_match(line, previous)


def refuse_nul(text: str, file="text") -> None:
    """A NUL character is no text (PostgreSQL cannot store it): refused, naming its line."""
    at = text.find("\x00")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise ImportRefused(file, line, "a NUL character (U+0000): this is not plain text; nothing was written.")


def split(text: str, file="text") -> list[ImportedClause]:
    refuse_nul(text, file)
    lines = [normalise_line(line) for line in text.replace("\r\n", "\n").split("\n")]
    clauses: list[ImportedClause] = []
    body: list[list[str]] = []
    open_levels: dict[int, str] = {}
    preamble: list[str] = []
    seen: set[str] = set()
    expect_heading = False
    previous = ""
    for number, line in enumerate(lines, start=1):
        match = heading_match(line, previous)
        if line:
            previous = line
        if match:
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
            clauses.append(ImportedClause(eid=eid, number=match.group("num"), heading=match.group("rest")[:MAX_LINE],
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
            if _is_heading_line(line, previous) and not clauses[-1].heading:
                clauses[-1].heading = line
                continue
        if line:
            body[-1].append(line)
    for clause, lines_of in zip(clauses, body):
        clause.text = "\n".join(lines_of)
    if preamble:
        clauses.insert(0, ImportedClause(eid="preamble", text="\n".join(preamble), line=1))
    return clauses


def warnings(text: str, clauses: list[ImportedClause]) -> list[str]:
    """What looks wrong with a split, shown before anything is written: one clause only, fewer articles than
    their numbers announce, lines that look like headings in a language the splitter does not read."""
    out = []
    units = [c for c in clauses if c.eid != "preamble"]
    if len(units) <= 1:
        out.append(f"Only {len(units)} clause{'s' if len(units) != 1 else ''} besides the preamble: no line (or one) "
                   "was read as a heading (Article 1, Artículo 1, Chapter II…). Check that the text is split as "
                   "you expect before importing it.")
    articles = [c for c in units if c.eid.split("__")[-1].startswith("art_")]
    numbers = [v for v in (number_value(c.number) for c in articles) if v is not None]
    if numbers and max(numbers) >= 4 and len(articles) < 0.75 * max(numbers):
        out.append(f"The article headings number up to {max(numbers)}, but only {len(articles)} articles were "
                   "found: some headings were not recognised (or some articles are missing from the text).")
    foreign = [i for i, line in enumerate(text.split("\n"), start=1) if FOREIGN_HEADING_RE.match(line.strip())]
    if len(foreign) >= 2:
        out.append(f"{len(foreign)} lines look like headings in a language the splitter does not read (line "
                   f"{foreign[0]}: “{text.split(chr(10))[foreign[0] - 1].strip()[:60]}”): they stay in the text "
                   "of the clause before them.")
    return out


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


def commands_for(clauses, *, language: str, effective: str | None) -> list[Command]:
    out = []
    for clause in clauses:
        data = {"eid": clause.eid, "text": clause.text, "text_kind": "official", "number": clause.number,
                "heading": clause.heading, "language": language, "parent": clause.parent, "effective": effective}
        try:
            out.append(parse_command("AddClause", {k: v for k, v in data.items() if v not in (None, "")}))
        except InvalidCommand as exc:
            field_name, messages = next(iter(exc.errors.items()))
            raise ImportRefused("text", clause.line, f"{clause.eid}: {field_name}: {' '.join(messages)}") from None
    return out


def write(slug: str, clauses, *, language: str = "en", effective: str | None = None, draft: DraftAgreement | None = None,
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
