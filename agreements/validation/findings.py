"""Record what the checks found, idempotently.

A check reports `Problem`s for the scopes it covered (a scope is what one run of a check looks at: one
clause's references, one agreement's lifecycle, one source's URL...). `record(scopes, problems)`:

- upserts every problem by its `key` (code + subject): a problem seen again updates `last_seen`, its
  message and severity; one that had been resolved is reopened; `first_seen` never changes;
- resolves the open findings of the covered scopes that this run did not find again.

So running a check twice gives the same rows, and fixing a problem resolves its finding. The upsert is one
INSERT ... ON CONFLICT (key) DO UPDATE, so two workers recording the same problem never duplicate it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from agreements.queries.findings import open_findings_in

from agreements.findings.models import Finding

ERROR, WARNING, INFO = "error", "warning", "info"
KEY_MAX = 500


@dataclass(frozen=True)
class Problem:
    code: str
    severity: str
    scope: str
    subject_type: str
    identity: str  # what distinguishes this problem among those of the same code
    message: str
    agreement_id: int | None = None
    source_id: int | None = None
    subject: str = ""

    @property
    def key(self) -> str:
        key = f"{self.code}|{self.identity}"
        if len(key) > KEY_MAX:
            key = f"{self.code}|sha256:{hashlib.sha256(self.identity.encode()).hexdigest()}"
        return key


@dataclass
class Outcome:
    opened: int = 0  # new findings and reopened ones
    seen: int = 0  # problems found (new or already open)
    resolved: int = 0

    def add(self, other: "Outcome") -> "Outcome":
        self.opened += other.opened
        self.seen += other.seen
        self.resolved += other.resolved
        return self


UPDATE_FIELDS = ["scope", "code", "severity", "subject_type", "agreement", "source", "subject", "message",
                 "last_seen", "resolved_at"]


def record(scopes, problems, now=None) -> Outcome:
    """Store the problems found in `scopes` and resolve the scopes' open findings that were not found."""
    now = now or timezone.now()
    by_key = {}
    for problem in problems:
        by_key.setdefault(problem.key, problem)
    scopes = set(scopes) | {p.scope for p in by_key.values()}
    outcome = Outcome(seen=len(by_key))
    with transaction.atomic():
        if by_key:
            already_open = set(
                Finding.objects.filter(key__in=list(by_key), resolved_at__isnull=True).values_list("key", flat=True)
            )
            outcome.opened = len(set(by_key) - already_open)
            Finding.objects.bulk_create(
                [
                    Finding(
                        key=key, scope=p.scope, code=p.code, severity=p.severity, subject_type=p.subject_type,
                        agreement_id=p.agreement_id, source_id=p.source_id, subject=p.subject[:500],
                        message=p.message, first_seen=now, last_seen=now, resolved_at=None,
                    )
                    for key, p in by_key.items()
                ],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=UPDATE_FIELDS,
            )
        stale = [pk for pk, key, _scope in open_findings_in(scopes) if key not in by_key]
        for i in range(0, len(stale), 500):
            outcome.resolved += Finding.objects.filter(pk__in=stale[i : i + 500], resolved_at__isnull=True).update(
                resolved_at=now
            )
    return outcome
