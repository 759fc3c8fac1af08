"""Events name reference data by its stable key, never by a database id (issue: the admin's citation form
stored `"source": "10"`). Ids differ between instances: a copy, or a restored backup, would read another source."""

import importlib
import os

import pytest
from django.apps import apps as global_apps
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agreements import eventmapper, services
from agreements.domain.identities import stream_id
from agreements.domain.commands import parse_command
from agreements.domain.errors import InvalidCommand
from agreements.models import Citation
from registry.eventstore.store import current_version
from registry.eventstore import store
from registry.eventstore.store import NewEvent
from sources.models import LegacySourceKey, Source

SLUG = "tr-az-strategic-partnership-2010"
KEY = "usc-dornsife-2023"
LEGACY_CITATION = "6f1c0b2e-3d4a-4e7b-9a51-0c2d8e7f6a10"


def _citation_naming_an_id(source_id: int, *, actor: str = "archivist"):
    """A CitationAttached as the admin wrote it before the fix: schema 1, the source's database id."""
    [recorded] = store.append(stream_id(SLUG), current_version(stream_id(SLUG)), [NewEvent(
        "CitationAttached", {"citation_id": LEGACY_CITATION, "source": str(source_id), "locator": "para. 17",
                             "quote": "", "supports": "title"}, schema_version=1)], actor=actor)
    return recorded


def _map_ids_to_keys():
    migration = importlib.import_module("sources.migrations.0004_legacy_source_keys")
    migration.map_ids_to_keys(global_apps, None)


def test_a_citation_naming_a_source_by_its_database_id_is_refused():
    with pytest.raises(InvalidCommand) as refused:
        parse_command("AttachCitation", {"source": "10", "supports": "title"})
    assert "database id" in refused.value.errors["source"][0]


@pytest.mark.django_db
def test_the_api_refuses_a_source_id_with_a_400_naming_the_field_and_stores_nothing(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("cites-by-id")
    user.groups.add(*Group.objects.filter(name="archivist"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    version = current_version(stream_id(SLUG))
    source_id = Source.objects.get(key=KEY).pk
    response = client.post(f"/api/v1/agreements/{SLUG}/commands/",
                           {"type": "AttachCitation", "source": str(source_id), "supports": "title"},
                           format="json", HTTP_IF_MATCH=f'"{version}"')
    assert response.status_code == 400
    assert "source" in response.json()["errors"]
    assert current_version(stream_id(SLUG)) == version


@pytest.mark.django_db
def test_a_citation_attached_now_names_its_source_by_key_in_a_schema_2_event():
    version = current_version(stream_id(SLUG))
    result = services.handle(parse_command("AttachCitation", {"source": KEY, "locator": "para. 9",
                                                              "supports": "title"}), slug=SLUG,
                             expected_version=version)
    [event] = result.events
    assert (event.schema_version, event.payload["source"]) == (2, KEY)


@pytest.mark.django_db
def test_a_source_key_of_digits_only_is_refused_by_the_reference_data():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        Source(key="2010", title="T", publisher="P", kind="news").full_clean()
    assert "key" in refused.value.message_dict


@pytest.mark.django_db
def test_a_stored_event_that_named_an_id_is_read_with_the_key_the_writing_instance_meant():
    source = Source.objects.get(key=KEY)
    recorded = _citation_naming_an_id(source.pk)
    _map_ids_to_keys()
    assert LegacySourceKey.objects.get(event_id=recorded.event_id).key == KEY
    # Another source now holds that id (as on a copy or a restored backup): the event still reads as KEY.
    other = Source.objects.exclude(pk=source.pk).first()
    Source.objects.filter(pk=source.pk).update(key="renamed-elsewhere")
    Source.objects.filter(pk=other.pk).update(key=f"was-{other.key}")
    assert eventmapper.domain_event(recorded).source == KEY
    assert eventmapper.stored([recorded])[0].event.source == KEY


@pytest.mark.django_db
def test_an_id_with_no_kept_key_resolves_to_no_source_rather_than_to_whatever_has_that_id_here():
    source = Source.objects.get(key=KEY)
    recorded = _citation_naming_an_id(source.pk, actor="")  # copied from elsewhere: not this instance's id
    _map_ids_to_keys()
    assert not LegacySourceKey.objects.filter(event_id=recorded.event_id).exists()
    from agreements.projections.projector import Projector

    Projector().project([recorded])
    assert Citation.objects.get(citation_id=LEGACY_CITATION).source is None


@pytest.mark.django_db
def test_the_history_names_the_source_by_key_for_an_event_that_named_an_id(client):
    source = Source.objects.get(key=KEY)
    recorded = _citation_naming_an_id(source.pk)
    _map_ids_to_keys()
    entries = APIClient().get(f"/api/v1/agreements/{SLUG}/events/?after={recorded.stream_version - 1}").json()
    [entry] = [e for e in entries["results"] if e["event_id"] == str(recorded.event_id)]
    assert entry["payload"]["source"] == KEY


@pytest.mark.django_db
def test_the_global_feed_keeps_the_stored_payload_and_gives_the_key_beside_it():
    source = Source.objects.get(key=KEY)
    recorded = _citation_naming_an_id(source.pk)
    _map_ids_to_keys()
    feed = APIClient().get(f"/api/v1/events/?after={recorded.position - 1}&limit=1").json()
    [entry] = feed["results"]
    assert entry["payload"]["source"] == str(source.pk)  # the hash chain covers the stored bytes
    assert entry["legacy_source_key"] == KEY


@pytest.fixture
def archivist_token(transactional_db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("copier-legacy")
    user.groups.add(*Group.objects.filter(name="archivist"))
    return Token.objects.create(user=user).key


def test_a_copy_whose_source_ids_differ_reads_the_primarys_legacy_citation_with_the_right_source(
        live_server, archivist_token, tmp_path):
    from tests.api.test_follow import copy_instance

    source = Source.objects.get(key=KEY)
    recorded = _citation_naming_an_id(source.pk)
    _map_ids_to_keys()
    manage = copy_instance(tmp_path)
    # The copy's ids differ from the primary's: its sources were entered in the reverse order.
    manage("shell", "-c", "from sources.models import Source; keys = list(Source.objects.values_list('key', flat=True)); "
                          "rows = [Source.objects.get(key=k) for k in keys]; Source.objects.all().delete(); "
                          "[Source.objects.create(**{f.name: getattr(r, f.name) for f in Source._meta.concrete_fields "
                          "if f.name != 'id'}) for r in reversed(rows)]")
    ids = manage("shell", "-c", f"from sources.models import Source; print(Source.objects.get(key='{KEY}').pk)").stdout
    assert int(ids.split()[-1]) != source.pk
    result = manage("follow", live_server.url, "--token", archivist_token, "--once", check=False)
    assert result.returncode == 0, result.stderr
    shown = manage("shell", "-c", "from agreements.models import Citation; "
                                  f"c = Citation.objects.get(citation_id='{LEGACY_CITATION}'); print(c.source.key)").stdout
    assert shown.split()[-1] == KEY
