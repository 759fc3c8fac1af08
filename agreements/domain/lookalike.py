r"""Names compared as a reader sees them: invisible characters and look-alike letters do not make a name new.

Two rules compare names an archivist types: one registration per registering body, and each depositary named
once. Compared character by character, "UN Secretariat" with a zero-width space inside, with a Cyrillic "е"
for the Latin "e", or in full-width letters passed as another body, and a title made only of zero-width
spaces passed as not blank. Here a name's comparison key is what a reader would recognise:
- NFKC normalisation (full-width and compatibility forms to their plain letters, "ﬁ" to "fi");
- format characters removed (Unicode category Cf: zero-width space and joiners, soft hyphen, direction
  marks, the byte-order mark) and the letters that draw nothing (Hangul fillers, the blank Braille pattern);
- the Cyrillic and Greek letters drawn exactly as Latin ones mapped to them (Unicode's confusables for
  those scripts, the ones that occur in names of organisations: А/а, В, Е/е, К, М, Н, О/о, Р/р, С/с,
  Т, Х/х, у, І/і, Ј/ј, Ѕ/ѕ; Α, Β, Ε, Ζ, Η, Ι, Κ, Μ, Ν, Ο/ο, Ρ, Τ, Υ, Χ);
- case folded and runs of whitespace made one space.
A key is only compared, never shown or stored: what the archivist typed is what the registry keeps.

`INVISIBLE` is the character class of what draws nothing, shared with the API schema's "not blank" pattern
so that the schema and the domain agree on what a blank text is. `SPACES` is whitespace spelled out for the
same reason: Python's `\s` holds the information separators U+001C-U+001F and U+0085, which the schema's
ECMA-262 `\s` does not, so a pattern written with `\s` let the schema call "\x1f" visible, or an address
ending in it valid, where the server refused it.
"""

from __future__ import annotations

import re
import unicodedata

# What draws nothing (Basic Multilingual Plane): the format characters (Cf) and the blank letters.
INVISIBLE = (r"\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
             r"\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u115f\u1160\u3164\uffa0\u2800")
# Whitespace: what Python's `\s` matches in text (str.isspace), which holds ECMA-262's `\s` but for U+FEFF
# (invisible above); tests/domain/test_lookalike_names.py holds the three together.
SPACES = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_VISIBLE = re.compile(rf"[^{SPACES}\x00{INVISIBLE}]")
_BLANK_LETTERS = {0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800}

_LOOKALIKES = str.maketrans(
    "АВЕКМНОРСТХаеорсухІіЈјЅѕ" "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧο",
    "ABEKMHOPCTXaeopcyxIiJjSs" "ABEZHIKMNOPTYXo",
)


def visible(text: str) -> bool:
    """Whether the text has a character that draws something (not only spaces and invisible characters)."""
    return bool(_VISIBLE.search(text))


def comparison_key(name: str) -> str:
    """The name as a reader recognises it, for comparing two names (never for showing one)."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf" and ord(ch) not in _BLANK_LETTERS)
    return " ".join(text.translate(_LOOKALIKES).casefold().split())
