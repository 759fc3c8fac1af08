"""The one write path: a command is decided, appended and projected in one transaction, or not at all."""

import io
import shutil
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from agreements import services
from agreements.queries import NotFound
from agreements.queries.agreements import agreement_at
from agreements.queries.clauses import clause_at
from agreements.domain.commands import parse_command
from agreements.domain.errors import RuleViolated
from agreements.projections.models import AgreementRecord, ClauseVersion
from registry.eventstore.models import StoredEvent
from registry.eventstore.store import ConcurrencyConflict

pytestmark = pytest.mark.django_db
SLUG = "tr-az-strategic-partnership-2010"


def cmd(type_, **fields):
    return parse_command(type_, fields)


def test_a_command_appends_its_events_and_projects_them_at_once():
    result = services.handle(cmd("AddClause", eid="art_3", text="Consultations.", text_kind="summary"), slug=SLUG)
    assert result.version == AgreementRecord.objects.get(slug=SLUG).version
    assert clause_at(SLUG, "art_3").current.text == "Consultations."


def test_a_refused_command_stores_nothing():
    events, versions = StoredEvent.objects.count(), ClauseVersion.objects.count()
    with pytest.raises(RuleViolated, match="duplicate_eid"):
        services.handle(cmd("AddClause", eid="art_2", text="x", text_kind="summary"), slug=SLUG)
    assert (StoredEvent.objects.count(), ClauseVersion.objects.count()) == (events, versions)


def test_several_commands_are_stored_all_or_none():
    events = StoredEvent.objects.count()
    with pytest.raises(RuleViolated):
        services.handle_many([
            cmd("AddClause", eid="art_3", text="Three.", text_kind="summary"),
            cmd("AmendClause", eid="art_99", text="No such article.", effective="2012"),
        ], slug=SLUG)
    assert StoredEvent.objects.count() == events
    with pytest.raises(NotFound):
        clause_at(SLUG, "art_3")


def test_a_stale_expected_version_is_a_conflict():
    version = AgreementRecord.objects.get(slug=SLUG).version
    services.handle(cmd("EditDetails", place="Baku"), slug=SLUG, expected_version=version)
    with pytest.raises(ConcurrencyConflict):
        services.handle(cmd("EditDetails", place="Istanbul"), slug=SLUG, expected_version=version)
    assert agreement_at(SLUG).place == "Baku"


def test_a_retried_command_with_the_same_id_appends_nothing_twice():
    command = parse_command("AddClause", {"eid": "art_4", "text": "Four.", "text_kind": "summary", "command_id": "k-1"})
    first = services.handle(command, slug=SLUG)
    again = services.handle(command, slug=SLUG)
    assert again.replayed and [e.event_id for e in again.events] == [e.event_id for e in first.events]
    assert StoredEvent.objects.filter(causation_id="k-1").count() == 1


def test_publishing_needs_a_reviewer(django_user_model):
    services.handle(cmd("DraftAgreement", slug="to-review", title="To review", kind="memorandum"))
    services.handle(cmd("SubmitForReview"), slug="to-review")
    archivist = django_user_model.objects.create_user("a1")
    archivist.groups.add(Group.objects.get(name="archivist"))
    with pytest.raises(services.NotAllowed):
        services.handle(cmd("Publish"), slug="to-review", user=archivist)
    reviewer = django_user_model.objects.create_user("r1")
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    services.handle(cmd("Publish", uncited_reason="a test draft"), slug="to-review", user=reviewer)
    assert agreement_at("to-review").publication == "published"
    assert StoredEvent.objects.filter(stream_id="agreement:to-review", type="Published").get().actor == "r1"


def test_the_roles_exist_with_their_permissions():
    assert Group.objects.get(name="reviewer").permissions.filter(codename="publish_agreement").exists()
    assert not Group.objects.get(name="archivist").permissions.filter(codename="publish_agreement").exists()


def test_a_seed_file_with_an_error_is_named_with_its_agreement_and_field(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "agreements").mkdir(parents=True)
    (seeds / "reference").mkdir()
    real = Path(settings.BASE_DIR) / "seeds" / "reference"
    for name in ("parties.yaml", "sources.yaml"):
        (seeds / "reference" / name).write_text((real / name).read_text())
    shutil.copytree(real.parent / "texts", seeds / "texts")  # the official texts sources.yaml keeps whole
    (seeds / "agreements" / "bad.yaml").write_text(
        "slug: bad-dates\ntitle: Bad\nkind: agreement\nlifecycle:\n  - {action: signature, date: '1996-13'}\n"
    )
    events = StoredEvent.objects.count()
    with pytest.raises(CommandError, match=r"bad.yaml: bad-dates: lifecycle\[0\].date: .*not a valid EDTF date"):
        call_command("load_seeds", seeds_dir=str(seeds), stdout=io.StringIO(), stderr=io.StringIO())
    assert StoredEvent.objects.count() == events


def test_settings_refuse_a_deployment_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "PACTA_TESTING", "DJANGO_SECRET_KEY")}
    env.update(DATABASE_URL="postgres://nobody@127.0.0.1:1/none", DJANGO_SETTINGS_MODULE="registry.settings")
    run = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                         text=True, cwd=settings.BASE_DIR)
    assert run.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in run.stderr


def test_debug_is_off_unless_asked_for():
    assert settings.DEBUG is False
