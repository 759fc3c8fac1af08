"""A seed file states participation too: actions with their effective dates, an entry-into-force rule and
statements (an objection naming the statement it answers by its place in the list), each with citations."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from agreements.queries.agreements import agreement_at
from agreements.seeding import load_seeds
from agreements.services import uncited_facts

pytestmark = pytest.mark.django_db
SLUG = "tr-az-military-financial-cooperation-2020"
def cite():
    return [{"source": "nordic-monitor-2020", "locator": "para. 5", "quote": "official visit to Baku"}]


def test_seed_rule_statements_and_effective_dates_load_cited(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(Path(settings.BASE_DIR) / "seeds", folder)
    path = folder / "agreements" / f"{SLUG}.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["lifecycle"].append({"action": "ratification", "date": "2020-06-01", "party": "TUR",
                             "effective": "2020-06-15", "notification": "Law No. 7000", "citations": cite()})
    doc["entry_into_force_rule"] = {"on": "last_notification", "citations": cite()}
    doc["statements"] = [
        {"party": "TUR", "kind": "declaration", "text": "A declaration.", "date": "2020-06-01", "citations": cite()},
        {"party": "AZE", "kind": "objection", "text": "An objection.", "date": "2020-07-01", "objects_to": 0,
         "citations": cite()},
    ]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    load_seeds(folder)
    view = agreement_at(SLUG, include_unpublished=True)
    turkey = next(p for p in view.participation.participants if p.party == "TUR")
    assert [a.effective for a in turkey.actions if a.action == "ratification"] == ["2020-06-15"]
    [declaration] = turkey.statements
    assert [o.text for o in declaration.objections] == ["An objection."]
    assert view.participation.rule == {"on": "last_notification"}
    assert not [f for f in uncited_facts(SLUG) if f.startswith("statement:")]
