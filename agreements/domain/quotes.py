"""Is a quote in a source's stored text? The one rule, used by validation, the public pages and the API.

Both texts are normalised before comparing (`normalise`): Unicode compatibility forms (NFKC: non-breaking
spaces, ligatures, the ellipsis character), every kind of quotation mark to a plain ' or ", every kind of
dash and hyphen to -, soft hyphens and zero-width characters removed, runs of whitespace to one space. Case
is kept: a quote is a verbatim fragment. An ellipsis in a quote ("..." or "…") marks an omission: the
parts around it must appear in that order.

What a reader is told of a quote (`quote_check`), the same mark on every edge:

| mark | when |
|---|---|
| `checked` | the source has a stored text and the quote occurs in it |
| `not found in the source` | the source has a stored text and the quote does not occur in it |
| `not checked` | the source has no stored text here (nothing to check against) |
"""

from __future__ import annotations

import re
import unicodedata

CHECKED, NOT_FOUND, NOT_CHECKED = "checked", "not found in the source", "not checked"
QUOTE_CHECKS = (CHECKED, NOT_FOUND, NOT_CHECKED)

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



def quote_check(quote: str, stored_text_normalised: str | None) -> str:
    """The mark of one quote against its source's normalised stored text (None or "": no stored text)."""
    if not stored_text_normalised:
        return NOT_CHECKED
    return CHECKED if quote_in(quote or "", stored_text_normalised) else NOT_FOUND
