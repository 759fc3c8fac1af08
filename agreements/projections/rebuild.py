"""Drop every projection and rebuild it from the events; hash the projected state to prove it identical."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from registry.eventstore import store
from registry.eventstore.models import StoredEvent
from sources.models import Source

from .models import (
    AgreementDetailsVersion,
    AgreementParty,
    AgreementRecord,
    Citation,
    ClauseVersion,
    Depositary,
    EntryIntoForceRuleRow,
    LifecycleFact,
    ObligationRow,
    ParticipationPeriod,
    Reference,
    Registration,
    Relation,
    StatementVersion,
)
from . import lock
from .projector import Projector

# Children first, so deletes respect foreign keys. The agreement rows themselves are kept and overwritten in
# place (see rebuild), so their ids, and the findings that hang on them, survive.
PROJECTION_MODELS = [
    ParticipationPeriod,
    EntryIntoForceRuleRow,
    StatementVersion,
    Citation,
    Registration,
    Depositary,
    ObligationRow,
    Reference,
    Relation,
    ClauseVersion,
    LifecycleFact,
    AgreementParty,
    AgreementDetailsVersion,
    AgreementRecord,
]


def rebuild(progress=None, batch_size: int = 500, lock_timeout: float = 60) -> int:
    """Replay every event in position order into empty projections, in one transaction.

    Writers are held out meanwhile (projections/lock.py: they wait, then get a clear 503), readers keep
    reading the state before the rebuild until it commits. Each agreement row is rewritten from scratch
    under the id it had, so bookmarked admin URLs and findings keep pointing at it.
    """
    done = 0
    with transaction.atomic():
        lock.hold_for_rebuilding(lock_timeout)
        total = StoredEvent.objects.count()
        record_ids = dict(AgreementRecord.objects.values_list("stream_id", "id"))
        for model in PROJECTION_MODELS:
            if model is not AgreementRecord:
                model.objects.all().delete()
        projector = Projector(record_ids)
        streams = set()
        after = 0
        while True:
            batch = store.read_all(after_position=after, limit=batch_size)
            if not batch:
                break
            # Project event by event: a stream's later events read rows its earlier ones wrote.
            for rec in batch:
                projector.project([rec])
                streams.add(rec.stream_id)
            after = batch[-1].position
            done += len(batch)
            if progress:
                progress(len(batch), total)
        AgreementRecord.objects.exclude(stream_id__in=streams).delete()  # rows no event stream accounts for
    return done


def _value(v):
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v) if v is not None and not isinstance(v, (int, float, bool, str, dict, list)) else v


def projection_hash() -> str:
    """SHA-256 over every projection row in a stable order, with database ids replaced by natural keys."""
    digest = hashlib.sha256()
    slugs = dict(AgreementRecord.objects.values_list("id", "slug"))
    sources = dict(Source.objects.values_list("id", "key"))
    for model in reversed(PROJECTION_MODELS):
        fields = [f for f in model._meta.concrete_fields if f.name != "id"]
        rows = []
        for obj in model.objects.all().values(*[f.attname for f in fields]):
            row = {}
            for f in fields:
                value = obj[f.attname]
                if f.name == "agreement":
                    value = slugs.get(value)
                elif f.name == "source":
                    value = sources.get(value)  # by key: a copy of the registry numbers its sources its own way
                row[f.name] = _value(value)
            rows.append(json.dumps(row, sort_keys=True, default=str))
        digest.update(model._meta.db_table.encode())
        for line in sorted(rows):
            digest.update(line.encode())
            digest.update(b"\n")
    return digest.hexdigest()
