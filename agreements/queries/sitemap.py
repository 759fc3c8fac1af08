"""Reads for the sitemaps: published addresses in fixed key ranges, so no page scans or counts the corpus.

Sitemap n of a section holds the rows whose primary key lies in (n·size, (n+1)·size]: a range of the key
index, at most `size` addresses whatever the corpus holds, and the same addresses tomorrow (a sitemap's
rows only grow at the end). The number of sitemaps comes from the greatest key (one index lookup).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, Max, OuterRef

from sources.models import Party
from agreements.projections.models import AgreementParty, AgreementRecord, ClauseVersion

from .visibility import PUBLISHED


def _key_range(n: int, size: int) -> dict:
    return {"pk__gt": n * size, "pk__lte": (n + 1) * size}


def _ranges(model, size: int) -> int:
    greatest = model.objects.aggregate(greatest=Max("pk"))["greatest"] or 0
    return max(1, -(-greatest // size))


def sitemap_ranges(size: int) -> dict[str, int]:
    """How many sitemaps each section has (three index lookups)."""
    return {"agreements": _ranges(AgreementRecord, size), "clauses": _ranges(ClauseVersion, size),
            "parties": _ranges(Party, size)}


def agreement_addresses(n: int, size: int) -> list[tuple[str, dt.datetime]]:
    """(work URI, last change) of the published agreements in key range n."""
    return list(AgreementRecord.objects.filter(publication=PUBLISHED, **_key_range(n, size))
                .order_by("pk").values_list("work_uri", "updated_at"))


def clause_addresses(n: int, size: int) -> list[tuple[str, str, dt.datetime]]:
    """(work URI, eId, the agreement's last change) of the current clauses of published agreements in key range n."""
    return list(ClauseVersion.objects.filter(known_to__isnull=True, valid_to__isnull=True,
                                             agreement__publication=PUBLISHED, **_key_range(n, size))
                .order_by("pk").values_list("agreement__work_uri", "eid", "agreement__updated_at"))


def party_codes(n: int, size: int) -> list[str]:
    """Codes of the parties in key range n that are party to a published agreement (one probe each)."""
    in_use = AgreementParty.objects.filter(party_code=OuterRef("code"), known_to__isnull=True,
                                           agreement__publication=PUBLISHED)
    return list(Party.objects.filter(Exists(in_use), **_key_range(n, size)).order_by("pk")
                .values_list("code", flat=True))
