"""Every read of the registry, organised by subject; each rule is written once, in its subject's module.

| module | subject |
|---|---|
| `time` | the moment a read is made at (`TimePoint`: valid date `as_of`, record time `known_at`), EDTF bounds |
| `visibility` | what the public may see: published agreements only |
| `status` | an agreement's status on a date |
| `agreements` | one agreement as of a moment; lists and groupings of agreements |
| `lifecycle` | signature, ratification, entry into force... per party |
| `registration` | registration (number, date, registering body) and depositaries |
| `clauses` | clauses and their versions |
| `references`, `relations`, `citations` | cross-references, relations between agreements, citations |
| `history` | an agreement's events told as its history; recent changes |
| `events` | the event feed and an agreement's events, through the store's read API |
| `parties`, `sources` | reference data |
| `findings` | validation findings |
| `obligations` | coded obligations (ATOP's scheme), one row per agreement, party and obligation |
| `timeline` | the agreements on a time axis |
| `search` | text search |
| `summaries` | counts over the corpus shared between pages (kept in the cache and in `models.KeptCount`) |

Reads only: every write goes through `agreements.services`. Each read is a bounded number of queries
whatever the size of the corpus or the length of an agreement's history.
"""


class NotFound(Exception):
    """The thing asked for does not exist, or is not visible to this reader."""
