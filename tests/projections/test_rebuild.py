"""Projections are disposable: rebuilt from the events they are identical, byte for byte of their hash."""

import io

import pytest
from django.core.management import call_command

from agreements import services
from agreements.domain.commands import parse_command
from agreements.projections.models import ClauseVersion
from agreements.projections.rebuild import projection_hash, rebuild

pytestmark = pytest.mark.django_db


def test_rebuild_keeps_the_hash_of_the_seeds():
    before = projection_hash()
    rebuild()
    assert projection_hash() == before


def test_rebuild_keeps_the_hash_after_amendments_corrections_and_repeals():
    slug = "tr-az-strategic-partnership-2010"
    handle = lambda t, **f: services.handle(parse_command(t, f), slug=slug)  # noqa: E731
    amended = handle("AmendClause", eid="art_2", text="x", effective="2015")
    handle("AmendClause", eid="art_2", text="y", effective="2013")
    handle("CorrectEvent", event_id=str(amended.events[0].event_id), reason="r", corrections={"text": "z"})
    handle("RenumberClause", eid="art_9", new_eid="art_10", effective="2016")
    handle("RepealClause", eid="art_1", effective="2019")
    handle("RecordLifecycle", action="entry_into_force", date="2011")
    before = projection_hash()
    rebuild()
    assert projection_hash() == before


def test_hash_changes_when_the_projection_differs():
    before = projection_hash()
    ClauseVersion.objects.filter(eid="art_2").update(text="tampered")
    assert projection_hash() != before


def test_rebuild_command_prints_progress_and_the_hash():
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_projections", stdout=out, stderr=err)
    assert out.getvalue().splitlines()[-1] == f"projection hash: {projection_hash()}"


def test_projection_hash_command_prints_the_same_line():
    out = io.StringIO()
    call_command("projection_hash", stdout=out)
    assert out.getvalue().strip() == f"projection hash: {projection_hash()}"


def test_rebuild_re_derives_the_findings_that_hang_on_agreement_rows():
    from agreements.validation import sweep
    from agreements.findings.models import Finding

    services.handle(parse_command("AddReference", {"eid": "art_2", "target": "un-charter-1945", "target_eid": "art_199"}),
                    slug="tr-az-strategic-partnership-2010")
    sweep.run(check_urls=False)
    assert Finding.objects.filter(code="reference_target_eid_missing", resolved_at__isnull=True).count() == 1
    call_command("rebuild_projections", stdout=io.StringIO(), stderr=io.StringIO())
    assert Finding.objects.filter(code="reference_target_eid_missing", resolved_at__isnull=True).count() == 1


def test_rebuild_keeps_the_hash_of_clauses_in_several_languages():
    slug = "tr-az-strategic-partnership-2010"
    handle = lambda t, **f: services.handle(parse_command(t, f), slug=slug)  # noqa: E731
    handle("AddClause", eid="art_1", text="Taraflar birlikte hareket eder.", text_kind="translation", language="tr")
    handle("AmendClause", eid="art_1", text="Taraflar derhal birlikte hareket eder.", effective="2015", language="tr")
    handle("RenumberClause", eid="art_1", new_eid="art_1A", effective="2016")
    before = projection_hash()
    rebuild()
    assert projection_hash() == before
    assert set(ClauseVersion.objects.filter(agreement__slug=slug, eid="art_1A").values_list("language", flat=True)) == {
        "en", "tr"}


def test_rebuild_command_in_place_says_so_and_how_long_writes_waited():
    out = io.StringIO()
    call_command("rebuild_projections", "--in-place", stdout=out, stderr=io.StringIO())
    assert "rebuilt in place; writes waited" in out.getvalue()
    assert out.getvalue().splitlines()[-1] == f"projection hash: {projection_hash()}"


def test_a_copy_holding_placeholders_refuses_to_rebuild_and_changes_nothing():
    from django.core.management.base import CommandError

    from registry.eventstore.models import HeldPlaceholder

    before = projection_hash()
    HeldPlaceholder.objects.create(position=10**9, prev_hash="0" * 64, hash="1" * 64, leaf_hash=b"\0" * 32)
    with pytest.raises(CommandError, match="placeholders"):
        call_command("rebuild_projections", "--in-place", stdout=io.StringIO(), stderr=io.StringIO())
    assert projection_hash() == before
