"""How the agreement page reads and writes texts: a textarea's text as the domain holds it, the digest a clause
row keeps of the text it showed, and the other-language titles as one "language: title" line each.

Used by the agreement page's forms (forms.py), its editor (editor.py) and the correction form (corrections.py),
so that a text counts as changed by one rule everywhere.
"""

from __future__ import annotations

import hashlib

from django import forms


def normalise(text) -> str:
    """Browsers send textareas with CRLF; whitespace around a text is not a change."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def text_digest(text) -> str:
    """The base of a clause row keeps its text's digest, not a second copy of the text (smaller pages)."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def titles_to_text(titles: dict) -> str:
    """{"tr": "...", "az": "..."} as the textarea shows it: one "language: title" line each, by language code."""
    return "\n".join(f"{lang}: {title}" for lang, title in sorted((titles or {}).items()))


def text_to_titles(text: str) -> dict:
    """The textarea's "language: title" lines back as {language: title}; a line without a colon is refused."""
    titles = {}
    for line in normalise(text).split("\n"):
        if not line.strip():
            continue
        lang, sep, title = line.partition(":")
        if not sep:
            raise forms.ValidationError(f"Write one title per line as 'language: title' (got '{line.strip()}').")
        titles[lang.strip()] = title.strip()
    return titles


def stripped(form, name):
    """A cleaned field of `form` without surrounding whitespace (other values as they are)."""
    value = form.cleaned_data.get(name)
    return value.strip() if isinstance(value, str) else value
