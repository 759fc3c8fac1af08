"""Word-level differences between two versions of a clause text (difflib over word tokens).

The result is a list of (operation, text) pieces, operation being "equal", "delete" or "insert". The
pieces are plain text: whoever renders them escapes each one (the browser's templates, the admin's history),
so clause text never becomes markup. One implementation, so the public and the archivists see the same diff.
"""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\s+|\w+(?:['’-]\w+)*|[^\w\s]")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Pieces that turn `old` into `new`. A change spanning several words reads as one deletion followed by
    one insertion (the spaces between changed words are not shown as unchanged)."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    chunks: list[list] = []  # [equal?, old_text, new_text]
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            chunks.append([True, old_text, new_text])
        elif chunks and not chunks[-1][0]:
            chunks[-1][1] += old_text
            chunks[-1][2] += new_text
        else:
            chunks.append([False, old_text, new_text])
    # Fold unchanged whitespace lying between two changes into the change.
    merged: list[list] = []
    for i, chunk in enumerate(chunks):
        between_changes = (
            chunk[0] and not chunk[1].strip() and 0 < i < len(chunks) - 1 and merged and not merged[-1][0]
        )
        if between_changes:
            merged[-1][1] += chunk[1]
            merged[-1][2] += chunk[2]
        elif not chunk[0] and merged and not merged[-1][0]:
            merged[-1][1] += chunk[1]
            merged[-1][2] += chunk[2]
        else:
            merged.append(list(chunk))
    pieces: list[tuple[str, str]] = []
    for equal, old_text, new_text in merged:
        if equal:
            pieces.append(("equal", old_text))
            continue
        if old_text:
            pieces.append(("delete", old_text))
        if new_text:
            pieces.append(("insert", new_text))
    return pieces


def changed(pieces: list[tuple[str, str]]) -> bool:
    return any(op != "equal" for op, _ in pieces)
