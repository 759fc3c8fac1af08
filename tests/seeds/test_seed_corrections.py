"""An edited seed file loaded again on a registry that holds its earlier version: corrections, not clashes."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from agreements import services
from agreements.domain.commands import NameDepositary
from agreements.queries.agreements import agreement_at
from agreements.queries.clauses import clauses_on
from agreements.queries.events import events_of
from agreements.seeding import load_seeds
from registry.eventstore.models import StoredEvent

pytestmark = pytest.mark.django_db
SLUG = "tr-az-military-financial-cooperation-2020"


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(Path(settings.BASE_DIR) / "seeds", folder)
    return folder


def edit(folder, change, slug=SLUG):
    path = folder / "agreements" / f"{slug}.yaml"
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


def test_an_edited_summary_becomes_a_correction_of_the_draft(seeds):
    edit(seeds, lambda d: d.update(summary="A corrected summary."))
    load_seeds(seeds)
    assert agreement_at(SLUG, include_unpublished=True).summary == "A corrected summary."
    assert [e.type for e in events_of(SLUG, include_unpublished=True)][-1] == "EventCorrected"


def test_an_edited_clause_text_becomes_a_correction_of_the_clause(seeds):
    def change(doc):
        doc["clauses"][0]["text"] = "Corrected clause text."
    edit(seeds, change, slug="ottoman-az-1918")
    load_seeds(seeds)
    eid = yaml.safe_load((seeds / "agreements" / "ottoman-az-1918.yaml").read_text())["clauses"][0]["eid"]
    assert clauses_on("ottoman-az-1918", dt.date.today())[eid].text == "Corrected clause text."


def test_an_edited_lifecycle_date_corrects_the_fact_instead_of_adding_one(seeds):
    def change(doc):
        doc["lifecycle"][-1]["date"] = "2020-05?"
    edit(seeds, change)
    action = yaml.safe_load((seeds / "agreements" / f"{SLUG}.yaml").read_text())["lifecycle"][-1]["action"]
    load_seeds(seeds)
    facts = [f for f in agreement_at(SLUG, include_unpublished=True).lifecycle if f.action == action]
    assert [f.date for f in facts] == ["2020-05?"]


def test_loading_the_edited_files_again_appends_nothing(seeds):
    edit(seeds, lambda d: d.update(summary="A corrected summary."))
    load_seeds(seeds)
    count = StoredEvent.objects.count()
    assert load_seeds(seeds) == 0 and StoredEvent.objects.count() == count


def test_an_edited_registration_number_corrects_the_registration_instead_of_adding_one(seeds):
    def record(number):
        def change(doc):
            doc["registrations"] = [{"registration_number": number, "date": "2020-06", "registering_body": "UN"}]
        return change
    edit(seeds, record("I-1"))
    load_seeds(seeds)
    edit(seeds, record("I-57001"))
    load_seeds(seeds)
    registrations = agreement_at(SLUG, include_unpublished=True).registrations
    assert [r.registration_number for r in registrations] == ["I-57001"]
    assert [e.type for e in events_of(SLUG, include_unpublished=True)][-1] == "EventCorrected"


CHARTER = "un-charter-1945"


def name_depositaries(*names):
    def change(doc):
        doc["depositaries"] = [{"depositary": name} for name in names]
    return change


def depositaries(slug=CHARTER):
    return [d.depositary for d in agreement_at(slug, include_unpublished=True).depositaries]


def test_an_edited_depositary_name_corrects_the_depositary_instead_of_adding_one(seeds):
    load_seeds(seeds)
    edit(seeds, name_depositaries("Government of the USA"), slug=CHARTER)
    load_seeds(seeds)
    assert depositaries() == ["Government of the USA"]
    assert [e.type for e in events_of(CHARTER, include_unpublished=True)][-1] == "EventCorrected"


def test_loading_an_edited_depositary_again_appends_nothing(seeds):
    load_seeds(seeds)
    edit(seeds, name_depositaries("Government of the USA"), slug=CHARTER)
    load_seeds(seeds)
    count = StoredEvent.objects.count()
    assert load_seeds(seeds) == 0 and StoredEvent.objects.count() == count
    assert depositaries() == ["Government of the USA"]


def test_a_depositary_added_to_the_file_is_named_beside_the_first(seeds):
    load_seeds(seeds)
    edit(seeds, name_depositaries("Government of the United States of America", "UN"), slug=CHARTER)
    load_seeds(seeds)
    assert depositaries() == ["Government of the United States of America", "UN"]


def test_a_depositary_an_archivist_named_is_not_taken_for_the_seeds(seeds, archivist):
    load_seeds(seeds)
    services.handle(NameDepositary(depositary="Secretary-General of the United Nations"), slug=CHARTER,
                    user=archivist)
    edit(seeds, name_depositaries("Government of the United States of America", "UN"), slug=CHARTER)
    load_seeds(seeds)
    assert depositaries() == ["Government of the United States of America",
                              "Secretary-General of the United Nations", "UN"]
