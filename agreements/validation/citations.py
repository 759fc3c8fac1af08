"""Citation checks: the quote is found in the cited source's stored snapshot.

Both texts are normalised before comparing (`normalise`): Unicode compatibility forms (NFKC: non-breaking
spaces, ligatures, the ellipsis character), every kind of quotation mark to a plain ' or ", every kind of
dash and hyphen to -, soft hyphens and zero-width characters removed, runs of whitespace to one space. Case
is kept: a quote is a verbatim fragment. An ellipsis in a quote ("..." or "…") marks an omission: the
parts around it must appear in that order.

- `citation_quote_not_found` (error): the source has a snapshot and the quote is not in it;
- `citation_unverifiable` (info): the source has no stored snapshot (for example the UN Charter's official
  text, which the seeds cite from the UN's site), so the quote cannot be checked by the machine. This is a
  limit of the registry's evidence, not a defect of the citation, hence info rather than warning.

Scope: one citation (`citation:<citation id>`). A run over an agreement also re-covers the scopes of its
open citation findings, so a detached citation's finding is resolved.
"""

from __future__ import annotations

import re
import unicodedata

from agreements.queries.citations import current_citations
from agreements.queries.findings import open_finding_scopes
from agreements.domain.vocabulary import CITABLE_FIELDS, EID_RE

from .findings import ERROR, INFO, Problem

NOT_FOUND = "citation_quote_not_found"
UNVERIFIABLE = "citation_unverifiable"

SINGLE_QUOTES = "‘’‚‛′‵`´ʹʼˈ＇"
DOUBLE_QUOTES = "“”„‟″‶«»〝〞＂"
DASHES = "‐‑‒–—―−﹘﹣－⁃"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TRANSLATE = {
    **{ord(c): "'" for c in SINGLE_QUOTES},
    **{ord(c): '"' for c in DOUBLE_QUOTES},
    **{ord(c): "-" for c in DASHES},
    **{ord(c): None for c in INVISIBLE},
}
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\.\s*\.\s*\.|\[\s*\.\.\.\s*\])\s*")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(_TRANSLATE)
    return _SPACE.sub(" ", text).strip()


def quote_in(quote: str, text_normalised: str) -> bool:
    """True when the (normalised) quote occurs in the normalised text; "..." parts must occur in order."""
    parts = [p for p in _ELLIPSIS.split(normalise(quote)) if p.strip()]
    if not parts:
        return True
    start = 0
    for part in parts:
        found = text_normalised.find(part.strip(" "), start)
        if found < 0:
            return False
        start = found + len(part.strip(" "))
    return True


def scope_of(citation_id) -> str:
    return f"citation:{citation_id}"


def _subject(citation) -> str:
    supports = citation.supports or ""
    if supports and supports not in CITABLE_FIELDS and EID_RE.match(supports):
        return supports  # a clause: the finding shows on the clause
    return f"citation:{citation.citation_id}"


class CitationCheck:
    """Checks citations; a source's snapshot is normalised once per run."""

    def __init__(self):
        self._texts = {}

    def _text(self, source) -> str:
        key = (source.pk, source.snapshot_sha256)
        if key not in self._texts:
            self._texts[key] = normalise(source.snapshot_text)
        return self._texts[key]

    def check(self, citations) -> list[Problem]:
        problems = []
        for citation in citations:
            if not (citation.quote or "").strip():
                continue
            source = citation.source
            slug = citation.agreement.slug
            common = dict(
                scope=scope_of(citation.citation_id), subject_type="citation",
                identity=f"{slug}|{citation.citation_id}", agreement_id=citation.agreement_id,
                source_id=source.pk, subject=_subject(citation),
            )
            where = f"{slug}: the citation of {source.key}" + (f" ({citation.locator})" if citation.locator else "")
            if not source.snapshot_text.strip():
                problems.append(Problem(
                    code=UNVERIFIABLE, severity=INFO,
                    message=f"{where} cannot be checked: the source has no stored snapshot of its text.", **common,
                ))
            elif not quote_in(citation.quote, self._text(source)):
                problems.append(Problem(
                    code=NOT_FOUND, severity=ERROR,
                    message=f"{where} quotes \u201c{citation.quote}\u201d, which is not in the source's snapshot.",
                    **common,
                ))
        return problems

    def check_agreements(self, slugs) -> tuple[set[str], list[Problem]]:
        citations = current_citations(slugs=slugs)
        scopes = {scope_of(c.citation_id) for c in citations} | open_finding_scopes("citation:", slugs)
        return scopes, self.check(citations)

    def check_source(self, source_id) -> tuple[set[str], list[Problem]]:
        citations = current_citations(source_id=source_id)
        return {scope_of(c.citation_id) for c in citations}, self.check(citations)
