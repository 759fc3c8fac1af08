"""How the search compares words written in different languages, scripts and spellings: one key per word.

Readers type the registry's names the way their keyboards and habits let them: "Şuşa" (Azerbaijani and
Turkish), "Shusha" (English), "Susa" (Turkish without its letters), "Шуша" (Russian); "Azərbaycan",
"Azerbaycan", "Azerbaijan", "Азербайджан". The search finds all of them because it never compares the
words themselves but their *keys*, made here, once, by plain Python that both databases' indexes store
(the projections write each text's folded form; queries fold the words searched the same way):

1. Every script becomes Latin ASCII through `anyascii` (a maintained transliteration table of every Unicode
   character, not one typed here): Cyrillic "Шуша" -> "Shusha", "ş ç ğ ı ö ü ə" -> "s c g i o u e",
   dotted "İ" -> "I". Lower case is taken after that, on ASCII only, so Turkish's dotted and dotless i
   (İ/i, I/ı) all end as "i" whatever case rules the reader's keyboard followed.
2. The sounds that the Latin spellings of the four languages write differently are written one way
   (`SOUNDS`): "sh" (English, Russian transliteration) = "ş" (Turkish, Azerbaijani) -> "s";
   "ch" = "ç" -> "c"; "j" (English) = "c" (Turkish, Azerbaijani) = "dzh"/"zh" (Russian) -> "c";
   "kh" (English, Russian) = "x" (Azerbaijani) -> "x"; "y" = "i"
   (Azerbaijan, Azərbaycan, Azerbaydzhan) -> "i". The rule is applied to both sides of every comparison,
   so an English word keeps matching itself ("shall" is "sall" in the index and in the query).

The key is for matching only: pages always show the words as written.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

# Longest first: "shch" (Щ) before "sh", "dzh" before "zh".
SOUNDS = {"shch": "s", "dzh": "c", "sh": "s", "ch": "c", "zh": "c", "kh": "x", "j": "c", "y": "i"}
_SOUND = re.compile("|".join(sorted(SOUNDS, key=len, reverse=True)))
_WORD = re.compile(r"\w+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
MAX_WORD = 60  # longer "words" (hashes, runs of letters) are cut: no reader types them


def fold_word(word: str) -> str:
    """The key of one word (may be "" for a word of symbols only)."""
    return "".join(fold_words(word))


def fold_words(text: str) -> list[str]:
    """The keys of the words of `text`, in order (a word that transliterates to several, as some scripts
    do, gives several)."""
    ascii_text = anyascii(unicodedata.normalize("NFC", text or "")).lower()
    return [_sounds_folded(word) for word in _ASCII_WORD.findall(ascii_text)]


def _sound(match) -> str:
    return SOUNDS[match.group(0)]


@functools.lru_cache(maxsize=1 << 16)
def _sounds_folded(word: str) -> str:
    """One ASCII word's key. Remembered: a corpus repeats its words (a bulk load's search texts spent 13% of
    its time folding the same few thousand words again, measured at 100,000 agreements)."""
    return _SOUND.sub(_sound, word)[:MAX_WORD]


def fold(text: str) -> str:
    """The keys of the words of `text`, separated by single spaces, with a space before the first: what
    the projections store, so that " " + key finds a word that starts with key, in any database."""
    words = fold_words(text)
    return " " + " ".join(words) if words else ""


def words(text: str) -> list[str]:
    """The words of `text` as written (letters and digits of any script)."""
    return _WORD.findall(text or "")


def lower(word: str) -> str:
    """Lower case for display, with Turkish's dotted capital İ lowered to i (not to i + a combining dot)."""
    return word.replace("İ", "i").lower()
