"""What an importer reads out of a file: a document with its clauses, before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class ImportRefused(Exception):
    """A file that cannot be imported, named with its line; nothing of it is written."""

    def __init__(self, file, line, message):
        self.file, self.line, self.message = str(file), line, message
        where = f"{file}, line {line}" if line else str(file)
        super().__init__(f"{where}: {message}")


@dataclass
class ImportedClause:
    eid: str
    number: str = ""
    heading: str = ""
    text: str = ""
    parent: str | None = None
    line: int | None = None  # where it starts in the file, for messages
    text_kind: str = "official"  # what the file marks its paragraphs as (the registry's export does)


@dataclass
class ImportedDocument:
    file: str
    doc_type: str  # act, bill, doc, statement, documentCollection, text
    kind: str
    title: str
    source_uri: str  # the FRBR work URI as the file gives it
    work_uri: str  # the registry's Akoma Ntoso work URI (the file's own when it is one)
    slug: str
    work_date: str | None
    expression_date: str | None
    language: str
    lifecycle: list[tuple[str, str]] = field(default_factory=list)  # (action, EDTF date)
    clauses: list[ImportedClause] = field(default_factory=list)
    registrations: list[tuple[str, str, str]] = field(default_factory=list)  # (number, EDTF date, registering body)
    depositaries: list[str] = field(default_factory=list)  # a party's code or a name
    former_work_uri: str | None = None  # the URI an earlier importer gave this work, where it differs
    # Participation as the registry's export writes it (agreements.api.akn): RecordLifecycle fields, MakeStatement
    # fields with the exporting registry's `statement_id`, the entry-into-force rule's fields.
    actions: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)
    rule: dict = field(default_factory=dict)

    @property
    def effective(self) -> str | None:
        """The date the clauses of this expression hold from."""
        return self.expression_date or self.work_date


_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")


def normalise_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def normalised_text(text: str) -> str:
    """Text compared across round trips and expressions: whitespace runs as one space."""
    return " ".join(text.split())
