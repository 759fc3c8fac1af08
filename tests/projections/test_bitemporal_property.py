"""Property: for any order of amendments and corrections, every (as_of, known_at) read equals a naive replay.

The naive model keeps the list of changes known after each command and picks, for a date, the change with
the latest effective date on or before it (ties: the one recorded last) — what a reader would expect.
"""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements import services
from agreements.queries.clauses import clause_at, clause_version_at
from agreements.domain.commands import parse_command
from agreements.queries.time import TimePoint

pytestmark = pytest.mark.django_db
SLUG = "tr-az-strategic-partnership-2010"
START = dt.date(2010, 1, 1)

days = st.integers(min_value=0, max_value=4000)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("amend"), days),
        st.tuples(st.just("correct"), st.integers(min_value=0, max_value=50), days),
    ),
    min_size=1,
    max_size=12,
)


class Rollback(Exception):
    pass


def naive_text(changes, on):
    """changes: [(effective date, text)] in record order; None when the clause did not exist yet."""
    best = None
    for effective, text in changes:  # later in record order wins a tie
        if effective <= on and (best is None or effective >= best[0]):
            best = (effective, text)
    return best[1] if best else None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=actions, probes=st.lists(days, min_size=3, max_size=6))
def test_as_of_and_known_at_reads_match_a_naive_replay(actions, probes):
    try:
        with transaction.atomic():
            handle = lambda t, **f: services.handle(parse_command(t, f), slug=SLUG)  # noqa: E731
            added = handle("AddClause", eid="art_77", text="v0", text_kind="official", effective=START.isoformat())
            changes = [(START, "v0")]
            amendments = []  # (event id, index into changes)
            snapshots = [(added.events[-1].recorded_at, list(changes))]
            for n, action in enumerate(actions, start=1):
                if action[0] == "amend" or not amendments:
                    effective = START + dt.timedelta(days=action[-1])
                    result = handle("AmendClause", eid="art_77", text=f"v{n}", effective=effective.isoformat())
                    amendments.append((str(result.events[0].event_id), len(changes)))
                    changes.append((effective, f"v{n}"))
                else:
                    event_id, index = amendments[action[1] % len(amendments)]
                    effective = START + dt.timedelta(days=action[2])
                    result = handle("CorrectEvent", event_id=event_id, reason="property test",
                                    corrections={"text": f"c{n}", "effective": effective.isoformat()})
                    # The corrected change is re-recorded now: it wins ties as the latest known.
                    changes.pop(index)
                    changes.append((effective, f"c{n}"))
                    amendments = [(eid, i if i < index else i - 1) for eid, i in amendments if eid != event_id]
                    amendments.append((event_id, len(changes) - 1))
                snapshots.append((result.events[-1].recorded_at, list(changes)))

            clause_id = clause_at(SLUG, "art_77").clause_id
            for known_at, known_changes in snapshots:
                for probe in probes:
                    on = START + dt.timedelta(days=probe)
                    entry = clause_version_at(clause_id, TimePoint.of(on, known_at))
                    assert (entry.text if entry else None) == naive_text(known_changes, on), (on, known_at)
            raise Rollback
    except Rollback:
        pass
