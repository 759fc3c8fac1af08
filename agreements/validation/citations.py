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
- no finding, "not checked": the source records the SHA-256 of its text (`text_sha256`) but the text is not
  supplied on this installation (a clean clone without the source texts). The quotes were checked against
  that text where it was supplied; supplying it (load_seeds verifies the hash) checks them here too.

Scope: one citation (`citation:<citation id>`). A run over an agreement also re-covers the scopes of its
open citation findings, so a detached citation's finding is resolved.
"""

from __future__ import annotations

from agreements.domain.quotes import normalise, quote_in  # noqa: F401 - the rule lives in the domain
from agreements.queries.citations import current_citations
from agreements.queries.findings import citation_scope, open_finding_scopes
from agreements.domain.vocabulary import parse_citation_subject

from .findings import ERROR, INFO, Problem

NOT_FOUND = "citation_quote_not_found"
UNVERIFIABLE = "citation_unverifiable"

NOT_CHECKED, CHECKED, QUOTE_NOT_FOUND, UNCHECKABLE = "not checked", "checked", "quote not found", "no text"


def check_state(citation, normalised_text: str | None = None) -> str:
    """What can be said of one citation's quote: checked against the source's text, not found in it, not
    checked here (the text is recorded by its SHA-256 but not supplied), or uncheckable (no text known)."""
    source = citation.source
    if not source.snapshot_text.strip():
        return NOT_CHECKED if source.text_sha256 else UNCHECKABLE
    text = normalised_text if normalised_text is not None else normalise(source.snapshot_text)
    return CHECKED if quote_in(citation.quote or "", text) else QUOTE_NOT_FOUND


scope_of = citation_scope


def _subject(citation) -> str:
    subject = parse_citation_subject(citation.supports)
    if subject.kind == "clause":
        return subject.name  # a clause: the finding shows on the clause
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
            if check_state(citation, self._text(source)) == NOT_CHECKED:
                continue  # the text is known by its hash but not supplied here: no finding
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
