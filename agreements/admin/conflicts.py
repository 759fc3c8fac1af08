"""Conflicts: a form saved against a stream version that someone else has moved on from.

Nothing is stored then. The archivist gets what changed since the version their form carries (who, when,
with effect from, what, word diffs of clause texts), their own input intact, and a form that now carries
the newest version, so that saving again applies their changes on top of the other person's.
"""

from __future__ import annotations

from agreements.queries.history import events_after

from . import history as hist


def what_changed(slug: str, since_version: int) -> list[dict]:
    """History rows of the events appended after `since_version`, oldest first."""
    return hist.rows(events_after(slug, since_version or 0))


def newest_version(rows: list[dict], default: int) -> int:
    return rows[-1]["entry"].event.stream_version if rows else default


def summary(rows: list[dict]) -> str:
    """One line for a message: who changed what when."""
    return "; ".join(
        f"{row['entry'].event.actor or 'system'} at {row['entry'].event.recorded_at:%Y-%m-%d %H:%M:%S} UTC: {row['what']}"
        for row in rows
    )
