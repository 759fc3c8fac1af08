"""The domain's words in the reader's language: agreements.domain.wording and the entry-into-force rule's
sentences (agreements.domain.entry_into_force) are English, marked for the catalogue; the edges say them
through Django's gettext here. The event describer (agreements.queries.history) and the browser
(agreements.browser.present) read them from this module, so that each word is translated in one place.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils import dates as month_names
from django.utils.translation import get_language, gettext, ngettext

from agreements.domain import wording
from agreements.domain.entry_into_force import RULE_NONE
from agreements.domain.folding import lower


def translate(text: str) -> str:
    """gettext, except for "" (which gettext would answer with the catalogue's header)."""
    return gettext(text) if text else text


def human_date(value) -> str:
    """16 August 2010 / 16 Ağustos 2010 / 16 августа 2010; June 1996; 2000 (uncertain): in the reader's language."""
    return wording.human_date(value, translate, *_month_names(get_language()))


@lru_cache(maxsize=64)
def _month_names(language: str | None) -> tuple[list[str], list[str]]:
    """The month names standing alone and after a day, in `language` (the active one): read from the catalogue
    once per language, not 24 lookups per date (a status table of 200 participants shows a thousand dates)."""
    return ([str(month_names.MONTHS[m]) for m in range(1, 13)],
            [str(month_names.MONTHS_ALT[m]) for m in range(1, 13)])


def clause_label(eid: str, heading: str = "") -> str:
    return wording.clause_label(eid, heading, translate)


def kind_label(kind: str) -> str:
    return translate(wording.kind_label(kind))


def choices(codes) -> list[tuple[str, str]]:
    """(value, label) pairs of a vocabulary for a form's select, in the reader's language."""
    return [(code, kind_label(code)) for code in codes]


def action_label(action: str) -> str:
    return translate(wording.action_label(action))


def statement_kind_label(kind: str) -> str:
    return translate(wording.statement_kind_label(kind))


def relation_label(relation: str, incoming: bool = False) -> str:
    return translate(wording.relation_label(relation, incoming))


def registration_label(number: str, date: str = "") -> str:
    """"No. I-54669, 24 October 1945" in the reader's language (a number already written "No. 1" stays so)."""
    number = (number or "").strip()
    text = number if number.lower().startswith(("no.", "no ", "n°")) else gettext("No. %(number)s") % {"number": number}
    return text + (f", {human_date(date)}" if date else "")


def days(n: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", n) % {"count": n}


def years(n: int) -> str:
    return ngettext("%(count)s year", "%(count)s years", n) % {"count": n}


def months(n: int) -> str:
    return ngettext("%(count)s month", "%(count)s months", n) % {"count": n}


# How each value of the rule's sentences is said (EntryIntoForceRule.parts names them).
_RULE_VALUES = {"days": days, "later": days, "years": years, "renewal": years, "notice": months,
                "counts": lambda codes: ", ".join(lower(action_label(code)) for code in codes)}


def rule_text(rule) -> str:
    """An entry-into-force rule (agreements.domain.entry_into_force.EntryIntoForceRule) in the reader's
    language: its sentences joined by "; "."""
    if rule is None:
        return ""
    parts = [gettext(message) % {name: _RULE_VALUES.get(name, str)(value) for name, value in values.items()}
             for message, values in rule.parts()]
    return "; ".join(parts) or gettext(RULE_NONE)
