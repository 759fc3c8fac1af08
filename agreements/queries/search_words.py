"""The words of a search, the same on every database: which words of a query are searched (`search_terms`),
the folded keys each stands for (`term_keys`), the one rule by which a key matches a word (`key_matches`),
the distance between two spellings (`edit_distance`, for "did you mean"), and the hits marked in a text
(`highlight_terms`, `excerpt`, `split_marked`).

They sit apart from `agreements.queries.search` (the interface) and from its two backends
(`search_postgresql`, `search_plain`) because all three use them: a backend imports this module, never the
interface that chooses it.

Words are compared by their folded keys (agreements.domain.folding: scripts, diacritics, Turkish case and
the spellings of the four languages' sounds folded), so "Şuşa", "Shusha", "Susa" and "Шуша" have one key.
"""

from __future__ import annotations

import functools
import re

from agreements.domain.folding import fold_word, fold_words, words

# Private-use characters mark highlighted hits in a marked text (split_marked); hits are (piece, is_hit) pairs,
# every piece escaped when rendered, so no markup from the data ever reaches the page.
HIT_START, HIT_STOP = "\ue000", "\ue001"
MAX_TERMS = 20
PREFIX_MIN = 3  # a key this long or longer also finds the words it starts ("turkiie" finds "Türkiye'nin")

Pieces = list[tuple[str, bool]]  # (piece of text, is a hit)


def search_terms(q: str) -> list[str]:
    """The words searched: words of any script (at most MAX_TERMS) that have a key."""
    return [w for w in words(q) if fold_word(w)][:MAX_TERMS]


def term_keys(terms) -> list[list[str]]:
    """The folded keys of each term (a term may fold to several keys: all must match)."""
    return [fold_words(t) for t in terms]


def key_matches(word_key: str, key: str) -> bool:
    """The search's rule for one word: its key starts with the key searched (at least PREFIX_MIN letters;
    a shorter key must be the whole word's). Both backends apply it in their own way."""
    return word_key == key or (len(key) >= PREFIX_MIN and word_key.startswith(key))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def nearest(key: str, candidates) -> str | None:
    """Of (word, similarity) candidates, the word nearest to `key`: fewest edits, then most similar, then
    first in alphabetical order (both backends' "did you mean")."""
    candidates = list(candidates)
    if not candidates:
        return None
    return min(candidates, key=lambda c: (edit_distance(key, c[0]), -c[1], c[0]))[0]


@functools.lru_cache(maxsize=50_000)
def _word_keys(word: str) -> tuple[str, ...]:
    """The keys of one word of a text, remembered: the texts of a page of hits repeat their words, and folding
    each anew cost more than the page's queries (a page of 50 clause hits folds about a thousand words)."""
    return tuple(fold_words(word))


@functools.lru_cache(maxsize=50_000)
def _word_matches(word: str, keys: frozenset) -> bool:
    """Whether a word of a text matches one of the keys searched, remembered for the words of a page of hits
    (50 clause hits at 100,000 agreements: marking them cost more than reading them, bench/languages.py)."""
    return any(key_matches(word_key, key) for word_key in _word_keys(word) for key in keys)


def split_marked(marked: str) -> Pieces:
    """Split a headline marked with HIT_START/HIT_STOP into (piece, is_hit) pieces."""
    pieces, hit, buffer = [], False, []
    for char in marked:
        if char in (HIT_START, HIT_STOP):
            if buffer:
                pieces.append(("".join(buffer), hit))
                buffer = []
            hit = char == HIT_START
        else:
            buffer.append(char)
    if buffer:
        pieces.append(("".join(buffer), hit))
    return pieces


def highlight_terms(text: str, terms) -> Pieces:
    """(piece, is_hit) pieces of `text`, with every word marked whose key starts with a term's key: the
    words the search matched, in any script or spelling ("Şuşa" for "Shusha")."""
    keys = frozenset(k for t in terms for k in fold_words(t))
    if not keys or not text:
        return [(text, False)] if text else []
    pieces, last = [], 0
    for match in re.finditer(r"\w+", text):
        if not _word_matches(match.group(0), keys):
            continue
        if match.start() > last:
            pieces.append((text[last : match.start()], False))
        pieces.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def excerpt(pieces: Pieces, context: int = 160) -> Pieces:
    """Shorten the unmarked stretches of a long text to `context` characters around each hit ("…")."""
    if sum(len(text) for text, _ in pieces) <= 4 * context or not any(hit for _, hit in pieces):
        return pieces
    out = []
    for i, (text, hit) in enumerate(pieces):
        if hit:
            out.append((text, True))
            continue
        first, last = i == 0, i == len(pieces) - 1
        if first and len(text) > context:
            text = "…" + text[-context:]
        elif last and len(text) > context:
            text = text[:context] + "…"
        elif not first and not last and len(text) > 2 * context:
            text = text[:context] + " … " + text[-context:]
        out.append((text, False))
    return out
