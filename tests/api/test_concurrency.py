"""Eight clients post a command with the same If-Match at once: one wins, seven get 412, no version is doubled."""

import threading

import pytest
import requests
from django.db.models import Count

from registry.eventstore.models import StoredEvent

from .conftest import run


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_commands_with_the_same_if_match_one_wins(live_server, archivist):
    from rest_framework.authtoken.models import Token

    slug = "concurrent-2012"
    run(slug, "DraftAgreement", slug=slug, title="Concurrent", kind="treaty")
    version = StoredEvent.objects.filter(stream_id=f"agreement:{slug}").count()
    token = Token.objects.create(user=archivist).key
    url = f"{live_server.url}/api/v1/agreements/{slug}/commands/"
    barrier = threading.Barrier(8)
    statuses, bodies = [], []

    def post(n):
        barrier.wait()
        response = requests.post(url, json={"type": "EditDetails", "summary": f"Writer {n}"}, timeout=60,
                                 headers={"Authorization": f"Token {token}", "If-Match": f'"{version}"'})
        statuses.append(response.status_code)
        bodies.append(response.json())

    threads = [threading.Thread(target=post, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(statuses) == [201] + [412] * 7, bodies
    assert all(b["current_version"] == version + 1 for b in bodies if "current_version" in b)
    duplicates = (StoredEvent.objects.values("stream_id", "stream_version").annotate(n=Count("position"))
                  .filter(n__gt=1))
    assert not duplicates.exists()
    assert StoredEvent.objects.filter(stream_id=f"agreement:{slug}").count() == version + 1
