"""Parties moved into the reference-data app (sources) and citations into the agreements' projections by
state-only migrations: migrating a registry from before the move to after it keeps every row, every content
type id, and every grant, without a post_migrate to repair anything."""

import datetime as dt
import uuid

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agreements.models import Citation
from agreements.projections import rebuild
from agreements.projections.models import AgreementParty, AgreementRecord, ClauseVersion, LifecycleFact
from agreements.projections.rebuild import projection_hash
from agreements.roles import ROLES
from sources.models import Party, Source

pytestmark = pytest.mark.django_db(transaction=True)

# Just before the move; the registration tables (built beside it) stay, as the projection hash reads them.
BEFORE = [("agreements", "0004_scale_lifecycle_action"), ("sources", "0002_texts_source_text_sha256")]
MOVED_TO_SOURCES = ["party", "partyname", "historicalparty", "historicalpartyname"]
# Projection columns added by later migrations (0006 status_from, 0008 source_key, 0009 the lifecycle's
# participation details, 0010 search_text, 0016 the party rows' agreement_slug): absent before the move, left out
# of both hashes; so are 0009's new tables.
LATER_COLUMNS = {"status_from", "source_key", "effective", "effective_lower", "predecessor", "territory",
                 "notification", "search_text", "agreement_slug"}
LATER_TABLES = {"pacta_statement", "pacta_eif_rule", "pacta_participation"}


def migrate_to(targets):
    """Migrate the test database to `targets` (None: the latest), and return the models as they were there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def before_the_move():
    old = migrate_to(BEFORE)
    yield old
    migrate_to(None)  # whatever the test did, leave the database as the other tests expect it


def permissions_of(group_name) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def add_reference_data_and_a_citation(old):
    """A party with a name, a source and a citation of it, written with the models of before the move."""
    party = old.get_model("agreements", "Party").objects.create(code="TST", name="Testland", kind="state")
    old.get_model("agreements", "PartyName").objects.create(party=party, name="Old Testland", valid_to="1990")
    source = old.get_model("sources", "Source").objects.create(
        key="test-source", title="A test source", publisher="Tests", kind="analysis")
    agreement = old.get_model("agreements", "AgreementRecord").objects.order_by("pk").first()
    old.get_model("sources", "Citation").objects.create(
        citation_id=uuid.uuid4(), agreement=agreement, source=source, locator="p. 1", quote="q", supports="art_1",
        known_from=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), event_id=uuid.uuid4())
    return party, source


def test_rows_survive_the_move_under_their_ids(before_the_move, monkeypatch):
    for model in (AgreementParty, AgreementRecord, Citation, ClauseVersion, LifecycleFact):
        monkeypatch.setattr(model._meta, "concrete_fields",
                            tuple(f for f in model._meta.concrete_fields if f.name not in LATER_COLUMNS))
    monkeypatch.setattr(rebuild, "PROJECTION_MODELS",
                        [m for m in rebuild.PROJECTION_MODELS if m._meta.db_table not in LATER_TABLES])
    party, source = add_reference_data_and_a_citation(before_the_move)
    hash_before = projection_hash()
    parties, citations = Party.objects.count(), Citation.objects.count()
    historical_parties = Party.history.count()

    migrate_to(None)

    moved = Party.objects.get(pk=party.pk)
    assert (moved.code, [n.name for n in moved.names.all()]) == ("TST", ["Old Testland"])
    assert Source.objects.get(pk=source.pk).citations.get().agreement.citations.filter(source_id=source.pk).exists()
    assert (Party.objects.count(), Citation.objects.count(), Party.history.count()) == (
        parties, citations, historical_parties)
    assert projection_hash() == hash_before


def test_content_types_move_under_their_ids(before_the_move):
    ContentTypes = before_the_move.get_model("contenttypes", "ContentType")
    ids = {model: ContentTypes.objects.get(app_label="agreements", model=model).pk for model in MOVED_TO_SOURCES}
    citation_id = ContentTypes.objects.get(app_label="sources", model="citation").pk

    migrate_to(None)

    assert {m: ContentType.objects.get(app_label="sources", model=m).pk for m in MOVED_TO_SOURCES} == ids
    assert ContentType.objects.get(app_label="agreements", model="citation").pk == citation_id
    assert not ContentType.objects.filter(app_label="agreements", model__in=MOVED_TO_SOURCES).exists()
    assert not ContentType.objects.filter(app_label="sources", model="citation").exists()


def test_roles_keep_their_grants_under_the_new_names(before_the_move):
    assert {"agreements.add_party", "agreements.change_partyname", "sources.view_citation"} <= permissions_of(
        "archivist")

    migrate_to(None)

    for role, wanted in ROLES.items():
        assert set(wanted) <= permissions_of(role), role
    assert {"sources.add_party", "sources.change_partyname", "agreements.view_citation"} <= permissions_of("archivist")


def test_a_users_own_grant_and_the_admin_log_follow_the_party(before_the_move, django_user_model):
    party, _ = add_reference_data_and_a_citation(before_the_move)
    user = django_user_model.objects.create_user("ada", is_staff=True)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="agreements", codename="change_party"))
    party_type = before_the_move.get_model("contenttypes", "ContentType").objects.get(
        app_label="agreements", model="party")
    LogEntry.objects.create(user=user, content_type_id=party_type.pk, object_id=str(party.pk), object_repr="TST",
                            action_flag=2, change_message="renamed")

    migrate_to(None)

    user = django_user_model.objects.get(pk=user.pk)
    assert user.has_perm("sources.change_party") and not user.has_perm("agreements.change_party")
    entry = LogEntry.objects.get(user=user)
    assert entry.get_edited_object() == Party.objects.get(pk=party.pk)
    assert entry.get_admin_url() == f"/admin/sources/party/{party.pk}/change/"


def test_a_stale_content_type_under_the_new_label_is_merged(before_the_move):
    """A post_migrate run between the two halves of the move (or an earlier attempt) may already have made
    sources.party and its permissions: the grants of the old permissions pass to those, nothing is doubled."""
    stale = ContentType.objects.create(app_label="sources", model="party")
    Permission.objects.create(content_type=stale, codename="change_party", name="Can change party")

    migrate_to(None)

    assert ContentType.objects.filter(model="party").count() == 1
    assert Permission.objects.filter(content_type__model="party", codename="change_party").count() == 1
    assert {"sources.add_party", "sources.change_party"} <= permissions_of("reviewer")
