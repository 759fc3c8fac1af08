"""A rebuild never fails a concurrent write (writers wait, or get a clear 503), and keeps agreement row ids."""

import io
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from agreements import services
from agreements.domain.commands import parse_command
from agreements.projections import lock
from agreements.projections.models import AgreementRecord
from agreements.projections.rebuild import projection_hash, rebuild
from agreements.findings.models import Finding


def handle(slug_, type_, **fields):
    return services.handle(parse_command(type_, fields), slug=slug_)


@pytest.mark.django_db
def test_a_rebuild_keeps_every_agreement_rows_id_so_admin_urls_survive(admin_client):
    before = dict(AgreementRecord.objects.values_list("slug", "id"))
    rebuild()
    assert dict(AgreementRecord.objects.values_list("slug", "id")) == before
    slug, pk = next(iter(before.items()))
    assert admin_client.get(f"/admin/agreements/agreementrecord/{pk}/change/").status_code == 200


@pytest.mark.django_db
def test_a_rebuild_keeps_the_findings_on_the_agreement_rows():
    record = AgreementRecord.objects.first()
    from django.utils import timezone

    finding = Finding.objects.create(key="test:kept", code="test", severity="info", subject_type="agreement",
                                     agreement=record, message="kept", first_seen=timezone.now(),
                                     last_seen=timezone.now())
    rebuild()
    assert Finding.objects.get(pk=finding.pk).agreement_id == record.pk


def _hold_the_lock_for_a_rebuild(seconds, started):
    """In another connection: take the rebuild's side of the lock and keep it `seconds`."""
    try:
        with transaction.atomic():
            lock.hold_for_rebuilding()
            started.set()
            time.sleep(seconds)
    finally:
        connections.close_all()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_write_during_a_long_rebuild_is_refused_clearly_and_stores_nothing(settings):
    settings.PACTA_REBUILD_WAIT_SECONDS = 0.3
    slug = "tr-az-strategic-partnership-2010"
    version = AgreementRecord.objects.get(slug=slug).version
    started = threading.Event()
    holder = threading.Thread(target=_hold_the_lock_for_a_rebuild, args=(2, started))
    holder.start()
    started.wait(10)
    try:
        with pytest.raises(lock.RebuildInProgress, match="being rebuilt"):
            handle(slug, "EditDetails", summary="during the rebuild")
    finally:
        holder.join()
    assert AgreementRecord.objects.get(slug=slug).version == version


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_api_answers_a_write_during_a_rebuild_with_a_json_503_and_retry_after(settings, archivist):
    from rest_framework.test import APIClient

    settings.PACTA_REBUILD_WAIT_SECONDS = 0.3
    client = APIClient()
    client.force_authenticate(archivist)
    slug = "tr-az-strategic-partnership-2010"
    version = AgreementRecord.objects.get(slug=slug).version
    started = threading.Event()
    holder = threading.Thread(target=_hold_the_lock_for_a_rebuild, args=(2, started))
    holder.start()
    started.wait(10)
    try:
        response = client.post(f"/api/v1/agreements/{slug}/commands/", {"type": "EditDetails", "summary": "x"},
                               format="json", HTTP_IF_MATCH=f'"{version}"')
    finally:
        holder.join()
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "rebuilt" in response.json()["detail"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rebuild_command_exits_with_a_message_when_writes_hold_the_projections():
    started, release = threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                lock.hold_for_writing()
                started.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait(10)
    try:
        with pytest.raises(CommandError, match="Writes kept the projections busy"):
            call_command("rebuild_projections", "--lock-timeout", "0.3", stdout=io.StringIO(), stderr=io.StringIO())
    finally:
        release.set()
        thread.join()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_running_through_rebuilds_all_succeed_and_the_result_equals_a_fresh_rebuild():
    slugs = [f"busy-{n}-2020" for n in range(4)]
    for slug in slugs:
        handle(slug, "DraftAgreement", slug=slug, title=f"Busy {slug}", kind="treaty")
    ids = dict(AgreementRecord.objects.values_list("slug", "id"))
    errors, done, stop = [], [], threading.Event()

    def write(slug):
        try:
            n = 0
            while not stop.is_set():
                n += 1
                handle(slug, "AddClause", eid=f"art_{n}", text=f"Article {n}.", text_kind="official")
                done.append(slug)
        except Exception as exc:  # noqa: BLE001 - any failure is what this test looks for
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def rebuild_twice():
        try:
            for _ in range(2):
                rebuild()
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connections.close_all()

    writers = [threading.Thread(target=write, args=(slug,)) for slug in slugs]
    for t in writers:
        t.start()
    time.sleep(0.3)
    rebuilder = threading.Thread(target=rebuild_twice)
    rebuilder.start()
    rebuilder.join()
    time.sleep(0.3)
    stop.set()
    for t in writers:
        t.join()

    assert not errors, errors
    assert len(done) > 8
    for slug in slugs:
        record = AgreementRecord.objects.get(slug=slug)
        assert record.id == ids[slug]
        assert record.clause_versions.count() == done.count(slug)
    live = projection_hash()
    rebuild()
    assert projection_hash() == live
    assert connection.vendor == "postgresql"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_import_during_a_rebuild_exits_with_the_rebuild_message(settings, tmp_path):
    settings.PACTA_REBUILD_WAIT_SECONDS = 0.3
    path = tmp_path / "during.yaml"
    path.write_text("slug: during-rebuild-2024\ntitle: During\nkind: pact\n", encoding="utf-8")
    started = threading.Event()
    holder = threading.Thread(target=_hold_the_lock_for_a_rebuild, args=(2, started))
    holder.start()
    started.wait(10)
    try:
        with pytest.raises(CommandError, match="being rebuilt"):
            call_command("import_agreements", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    finally:
        holder.join()
    assert not AgreementRecord.objects.filter(slug="during-rebuild-2024").exists()
