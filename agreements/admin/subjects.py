"""What a finding is about, in words: "Article 2, paragraph 1", "Citation of usc-dornsife-2023, para. 18
(supports Article 2)", "Signature (TUR)", instead of the stored keys (`art_2__para_1`, `citation:895c…`)."""

from __future__ import annotations

from agreements.queries.citations import citations_by_id
from agreements.domain.vocabulary import parse_citation_subject
from agreements.domain.wording import clause_label
from agreements.queries.wording import kind_label as label

def supports_label(supports: str) -> str:
    """What a citation supports, in words (the grammar: vocabulary.parse_citation_subject)."""
    subject = parse_citation_subject(supports)
    if subject.kind == "agreement":
        return "the agreement"
    if subject.kind == "party":
        return f"party {subject.name}"
    if subject.kind == "lifecycle":
        return label(subject.name) + (f" ({subject.party})" if subject.party else "")
    if subject.kind == "obligation":
        return "a coded obligation"
    if subject.kind in ("registration", "depositary"):
        return f"the {subject.kind}"
    if subject.kind == "statement":
        return "a participant's statement"
    if subject.kind == "entry_into_force_rule":
        return "the entry-into-force rule"
    if subject.kind == "clause":
        return clause_label(subject.name)
    return supports.replace("_", " ")


def subject_labels(findings) -> dict:
    """finding pk -> its subject in words (one query for the citations among them)."""
    findings = list(findings)
    cited = citations_by_id(
        f.subject.removeprefix("citation:") for f in findings if f.subject.startswith("citation:")
    )
    labels = {}
    for f in findings:
        subject = f.subject
        if subject.startswith("citation:"):
            citation = cited.get(subject.removeprefix("citation:"))
            labels[f.pk] = (
                f"Citation of {citation.source.key}" + (f", {citation.locator}" if citation.locator else "")
                + f" (supports {supports_label(citation.supports)})"
                if citation else "A citation since detached"
            )
        elif f.subject_type == "relation" and ">" in subject:
            relation, _, target = subject.partition(">")
            labels[f.pk] = f"{label(relation)} {target}"
        elif f.subject_type == "source":
            labels[f.pk] = f"Source {subject}"
        else:
            labels[f.pk] = supports_label(subject) if subject else "the agreement"
    return labels
