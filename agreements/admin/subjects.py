"""What a finding is about, in words: "Article 2, paragraph 1", "Citation of usc-dornsife-2023, para. 18
(supports Article 2)", "Signature (TUR)", instead of the stored keys (`art_2__para_1`, `citation:895c…`)."""

from __future__ import annotations

from agreements.queries.citations import citations_by_id
from agreements.domain.vocabulary import EID_RE, label

EID_WORDS = {"art": "Article", "para": "paragraph", "point": "point", "sec": "section", "chp": "chapter",
             "preamble": "Preamble", "annex": "Annex", "subpara": "subparagraph", "list": "list", "item": "item"}


def eid_label(eid: str) -> str:
    parts = []
    for component in eid.split("__"):
        name, _, number = component.partition("_")
        word = EID_WORDS.get(name, name)
        parts.append(f"{word} {number}".strip())
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def supports_label(supports: str) -> str:
    if not supports:
        return "the agreement"
    prefix, _, rest = supports.partition(":")
    if prefix == "party":
        return f"party {rest}"
    if prefix == "lifecycle":
        action, _, party = rest.partition(":")
        return label(action) + (f" ({party})" if party else "")
    if prefix == "obligation":
        return "a coded obligation"
    if EID_RE.match(supports) and "_" in supports or supports == "preamble":
        return eid_label(supports)
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
