"""What the browser shows of citations, sources and links; the words themselves are in domain.wording.

Plain functions returning plain strings; templates escape them like any other data.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from agreements.domain import wording
from agreements.domain.vocabulary import parse_citation_subject
from agreements.queries.history import describe_event, event_eid  # noqa: F401
# The domain's words (agreements.domain.wording, English), in the reader's language.
from agreements.queries.wording import clause_label, human_date, translate  # noqa: F401



def kind_label(kind: str) -> str:
    return translate(wording.kind_label(kind))


def status_label(status: str, consent_recorded: bool = True) -> str:
    return translate(wording.status_label(status, consent_recorded))


def participant_status_label(status: str) -> str:
    return translate(wording.participant_status_label(status))


def statement_kind_label(kind: str) -> str:
    return translate(wording.statement_kind_label(kind))


def derivation_label(how: str) -> str:
    return translate(wording.derivation_label(how))


def action_label(action: str) -> str:
    return translate(wording.action_label(action))


def text_kind_label(text_kind: str) -> str:
    return translate(wording.text_kind_label(text_kind))


def relation_label(relation: str, incoming: bool = False) -> str:
    return translate(wording.relation_label(relation, incoming))


def choices(codes) -> list[tuple[str, str]]:
    return [(code, kind_label(code)) for code in codes]


STATUS_LABELS = {code: gettext_noop(label) for code, label in wording.STATUS_LABELS.items()}


def citation_subject(supports: str) -> str:
    """What a citation supports, in words: a field, a party, a lifecycle fact, a clause, a reference."""
    subject = parse_citation_subject(supports)
    if subject.kind == "agreement":
        return gettext("The agreement as a whole")
    if subject.kind == "field":
        fields = {"work_date": gettext("Date"), "titles": gettext("Titles"), "title": gettext("Title"),
                  "summary": gettext("Summary"), "place": gettext("Place"), "kind": gettext("Kind"),
                  "status": gettext("Status")}
        return fields.get(subject.name, kind_label(subject.name))
    if subject.kind == "clause":
        return clause_label(subject.name)
    if subject.kind == "party":
        return gettext("Party %(code)s") % {"code": subject.name}
    if subject.kind == "lifecycle":
        if subject.party:
            return gettext("%(action)s by %(party)s") % {"action": action_label(subject.name), "party": subject.party}
        return action_label(subject.name)
    if subject.kind == "relation":
        return f"{relation_label(subject.name)} {subject.target}"
    if subject.kind == "obligation":
        return gettext("A coded obligation")
    if subject.kind == "statement":
        return gettext("A participant's statement")
    if subject.kind == "entry_into_force_rule":
        return gettext("Entry-into-force rule")
    if subject.kind == "registration":
        return gettext("Registration")
    if subject.kind == "depositary":
        return gettext("Depositary")
    if subject.kind == "reference":
        text = gettext("Reference from %(clause)s to %(target)s") % {
            "clause": clause_label(subject.name), "target": subject.target}
        return text + (f", {clause_label(subject.target_eid)}" if subject.target_eid else "")
    return supports


def safe_url(url: str) -> str:
    """An outside address to link to, only if it is http(s); anything else is shown as text, not linked."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def citation_rows(citations, checks: dict[str, str] | None = None) -> list[dict]:
    """Citations as the public page lists them; `checks`: citation id -> the mark of its quote."""
    checks = checks or {}
    return [
        {
            "check": checks.get(str(c.citation_id), ""),
            "subject": citation_subject(c.supports),
            "quote": c.quote,
            "locator": c.locator,
            "source": c.source,
            "published": human_date(c.source.published) if c.source.published else "",
            "url": safe_url(c.source.url),
        }
        for c in citations
    ]


_HTML_DATE = __import__("re").compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?\Z")


def html_datetime(value) -> str:
    """A value for `<time datetime>` (a year, a month or a day), or "" when the date has no HTML form
    ("2000?", "1996-06/.."): the page then shows the date as plain text."""
    text = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value or "")
    return text if _HTML_DATE.match(text) else ""


def titles_for_reader(title: str, titles: dict, language: str) -> tuple[dict, list[dict]]:
    """The title to show first, in the reader's language when the agreement has a title in it (else the
    registry's title, in English), and the others with their languages: ({title, language}, [{title, language}])."""
    titles = {code: text for code, text in (titles or {}).items() if text and code != "en"}
    if language in titles:
        shown = {"title": titles[language], "language": language}
        others = [{"language": "en", "title": title}] + [
            {"language": code, "title": text} for code, text in sorted(titles.items()) if code != language]
        return shown, others
    return {"title": title, "language": "en"}, [{"language": code, "title": text} for code, text in sorted(titles.items())]
