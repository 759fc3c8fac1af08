"""Citations as numbered notes beside the facts they support (the title, each party, each lifecycle fact,
each article, each coded obligation), numbered in the order the page shows those facts.

`Notes.take(subject, ...)` returns the notes of those subjects, numbering each on first use; `rest()` the
citations of subjects the page showed nowhere (relations, cross-references), so that none is lost. A note
taken again (two facts of one subject, such as two dates the sources give for one party's ratification)
comes back marked `again`: the page links to it rather than repeating it, so each number is shown once.
"""

from __future__ import annotations

from collections import defaultdict

from .present import citation_subject, human_date, safe_url


class Notes:
    def __init__(self, citations, checks: dict[str, str] | None = None):
        """`checks`: citation id -> what the reader is told of its quote (queries.citations.quote_checks)."""
        self._checks = checks or {}
        self._by_subject = defaultdict(list)
        for citation in citations:
            self._by_subject[citation.supports or ""].append(citation)
        self._numbers: dict[int, int] = {}  # citation pk -> its number
        self._taken: set[str] = set()

    def _note(self, citation) -> dict:
        again = citation.pk in self._numbers
        if not again:
            self._numbers[citation.pk] = len(self._numbers) + 1
        source = citation.source
        return {
            "n": self._numbers[citation.pk], "quote": citation.quote, "locator": citation.locator, "source": source,
            "url": safe_url(source.url), "published": human_date(source.published) if source.published else "",
            "subject": citation_subject(citation.supports),
            "check": self._checks.get(str(citation.citation_id), ""), "again": again,
        }

    def take(self, *subjects: str) -> list[dict]:
        notes = []
        for subject in subjects:
            self._taken.add(subject)
            notes += [self._note(c) for c in self._by_subject.get(subject, [])]
        return notes

    def skip(self, *subjects: str) -> None:
        """Subjects another page shows with their notes (the participants past a long table's first page):
        `rest()` leaves them out."""
        self._taken.update(subjects)

    def skip_where(self, left_out) -> None:
        """`skip` of every subject with notes for which `left_out(subject)` holds: asks only the subjects that have
        notes, not every fact a long table leaves to another page."""
        self._taken.update(subject for subject in self._by_subject if left_out(subject))

    def rest(self) -> list[dict]:
        return [self._note(c) for subject, cs in self._by_subject.items() if subject not in self._taken for c in cs]

