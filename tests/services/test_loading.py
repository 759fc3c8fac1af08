"""Loading an agreement for a command: a thread's recent state is reused only while the stored stream agrees."""

import pytest
from django.db import transaction

from agreements import services
from agreements.domain import commands
from registry.eventstore import store

pytestmark = pytest.mark.django_db


def draft(slug):
    services.handle(commands.DraftAgreement(slug=slug, title="T", kind="agreement"))
    services.handle(commands.AddClause(eid="art_1", text="one", text_kind="official"), slug=slug)


def test_a_command_after_a_command_reads_only_the_newer_events():
    draft("loading-a")
    calls = []
    original = store.read_stream
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(store, "read_stream", lambda sid, after_version=0: calls.append(after_version) or
                   original(sid, after_version))
        services.handle(commands.AddClause(eid="art_2", text="two", text_kind="official"), slug="loading-a")
    assert calls == [1], "the stream is read from the remembered version on, not replayed"


def test_state_from_a_rolled_back_transaction_is_not_trusted():
    draft("loading-b")
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.handle(commands.AddClause(eid="art_2", text="two", text_kind="official"), slug="loading-b")
            raise RuntimeError("roll back")
    # art_2 was rolled back: adding it again must be allowed, and art_1 still known.
    services.handle(commands.AddClause(eid="art_2", text="two again", text_kind="official"), slug="loading-b")
    agreement = services.load("loading-b")
    assert sorted(agreement.state.eids) == ["art_1", "art_2"]
    assert agreement.version == store.current_version("agreement:loading-b")


def test_handle_many_does_not_replay_the_stream_once_per_command():
    draft("loading-c")
    calls = []
    original = store.read_stream
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(store, "read_stream", lambda sid, after_version=0: calls.append(after_version) or
                   original(sid, after_version))
        services.handle_many([commands.AddClause(eid=f"art_{i}", text=str(i), text_kind="official") for i in range(2, 7)],
                             slug="loading-c")
    assert 0 not in calls
