"""Participation survives an Akoma Ntoso round trip: the registry's export, imported as another work with
import_akn, gives the same actions, statements (an objection still answering its reservation) and rule."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from agreements import services
from agreements.domain.commands import parse_command

pytestmark = pytest.mark.django_db


def run(stream, type_name, **fields):
    services.handle(parse_command(type_name, fields), slug=stream)


def participants(slug):
    detail = APIClient().get(f"/api/v1/agreements/{slug}/", {"as_of": "2012-01-01"}).json()
    out = {}
    for p in detail["participants"]:
        actions = [{k: v for k, v in a.items() if k != "event_id"} for a in p["actions"]]
        statements = [(s["kind"], s["text"], s["eids"], s["made_at"], bool(s["objects_to"]), len(s["objected_by"]))
                      for s in p["statements"]]
        out[p["party"]] = (p["status"], p["in_force"], p["in_force_how"], actions, statements)
    return out, detail["entry_into_force"]["rule"]


def test_actions_statements_and_the_rule_round_trip(tmp_path):
    slug = "rt-law-2010"
    run(slug, "DraftAgreement", slug=slug, title="Round trip", kind="treaty", work_date="2010-08-16")
    for code in ("TUR", "AZE"):
        run(slug, "AddParty", party=code)
    run(slug, "AddClause", eid="art_1", text="Scope.", text_kind="official")
    run(slug, "SetEntryIntoForceRule", on="last_notification", days_after=30, years=10, renewal_years=5)
    run(slug, "RecordLifecycle", action="signature", date="2010-08-16")
    run(slug, "RecordLifecycle", action="ratification", date="2010-12-21", party="AZE", notification="C.N.1.2010")
    run(slug, "RecordLifecycle", action="approval", date="2011-02-02", party="TUR", effective="2011-02-10")
    run(slug, "MakeStatement", party="TUR", kind="reservation", text="Art. 1 aside.", date="2011-02-02",
        eids=["art_1"], made_at="consent")
    from agreements.domain.identities import statement_identity

    run(slug, "MakeStatement", party="AZE", kind="objection", text="Objected.", date="2011-05-01",
        objects_to=statement_identity(slug, 1), opposes_entry_into_force=True)
    run(slug, "Publish", uncited_reason="test")
    xml = APIClient().get(f"/api/v1/agreements/{slug}/", {"format": "akn"}).content
    path = tmp_path / "copy.xml"
    path.write_bytes(xml.replace(slug.encode(), b"rt-law-copy"))
    call_command("import_akn", str(path), "--publish", stdout=io.StringIO())
    assert participants("rt-law-copy") == participants(slug)
    assert participants(slug)[1] == {"on": "last_notification", "days_after": 30, "years": 10, "renewal_years": 5}
