"""GET /api/v1/obligations/: coded obligations, one item per agreement, party and obligation (published only
for the public), cursor-paged, with valid and record time; the dataset export gives the same rows."""

import io

import pytest
from django.utils import timezone

from agreements import services
from agreements.domain.commands import parse_command

pytestmark = pytest.mark.django_db

URL = "/api/v1/obligations/"
STRATEGIC = "tr-az-strategic-partnership-2010"


def code(slug, **fields):
    data = {"eid": "art_1", "obligation": "consultation", "modality": "obliges", **fields}
    return services.handle(parse_command("CodeObligation", data), slug=slug).events[0].payload


def items(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_seed_codings_are_listed_per_party_with_their_sources(anon):
    rows = items(anon, agreement=STRATEGIC)
    art_2 = [r for r in rows if r["eid"] == "art_2"]
    assert {r["party"] for r in art_2} == {"TUR", "AZE"}
    assert {(r["obligation"], r["modality"]) for r in art_2} == {("defence", "permits")}
    assert art_2[0]["conditions"] == ["attack_by_third_state"]
    assert art_2[0]["sources"] == ["usc-dornsife-2023"]
    assert any("will be able to provide" in c["quote"] for c in art_2[0]["citations"])
    assert art_2[0]["signature"] == "2010-08-16"


def test_the_1918_coding_binds_the_ottoman_empire_towards_azerbaijan(anon):
    [row] = items(anon, agreement="ottoman-az-1918")
    assert (row["party"], row["towards"], row["obligation"], row["modality"], row["conditions"]) == (
        "OTTOMAN", ["ADR"], "defence", "obliges", ["on_request"]
    )


def test_every_seed_coding_cites_a_source(anon):
    rows = items(anon, page_size=500)
    assert {(r["agreement"], r["eid"]) for r in rows} >= {
        (STRATEGIC, "art_1"), (STRATEGIC, "art_2"), (STRATEGIC, "art_9"), ("ottoman-az-1918", "art_4")
    }
    assert all(r["citations"] for r in rows)


def test_filters_by_party_obligation_and_modality(anon):
    rows = items(anon, party="aze", obligation="defence")
    assert rows and all(r["party"] == "AZE" and r["obligation"] == "defence" for r in rows)
    assert all(r["modality"] == "obliges" for r in items(anon, modality="obliges"))


@pytest.mark.parametrize("params", [{"obligation": "alliance"}, {"as_of": "2015-02-30"}, {"party": "T U R"},
                                    {"known_at": "yesterday"}, {"cursor": "nonsense"}])
def test_bad_filters_are_a_400_naming_them(anon, params):
    response = anon.get(URL, params)
    assert response.status_code == 400
    assert set(params) & set(response.json()["errors"] if "errors" in response.json() else response.json())


def test_anonymous_callers_see_codings_of_published_agreements_only(anon, archivist_client, make_agreement):
    draft = make_agreement("secret-alliance-2024", clauses=1)
    code(draft)
    assert not items(anon, agreement=draft)
    assert {r["party"] for r in items(archivist_client, agreement=draft)} == {"TUR", "AZE"}


def test_as_of_keeps_only_obligations_in_effect_that_day(anon, make_agreement):
    slug = make_agreement("dated-alliance-2012", clauses=1, publish=True)
    code(slug, effective="2013-01-01", until="2020-01-01")
    assert items(anon, agreement=slug, as_of="2015-06-01")
    assert not items(anon, agreement=slug, as_of="2012-06-01")
    assert not items(anon, agreement=slug, as_of="2020-01-01")
    assert items(anon, agreement=slug)  # without a date: every row, with its dates
    assert items(anon, agreement=slug)[0]["valid_from"] == "2013-01-01"


def test_known_at_shows_a_coding_before_its_withdrawal(anon, make_agreement):
    slug = make_agreement("withdrawn-coding-2012", clauses=1, publish=True)
    coded = code(slug)
    before = timezone.now().isoformat()
    services.handle(parse_command("UncodeObligation", {"obligation_id": coded["obligation_id"], "reason": "misread"}),
                    slug=slug)
    assert not items(anon, agreement=slug)
    assert len(items(anon, agreement=slug, known_at=before)) == 2


def test_a_correction_replaces_the_coding_in_the_list(anon, make_agreement):
    from registry.eventstore.models import StoredEvent

    slug = make_agreement("corrected-coding-2012", clauses=1, publish=True)
    code(slug)
    event = StoredEvent.objects.get(stream_id=f"agreement:{slug}", type="ObligationCoded")
    services.handle(parse_command("CorrectEvent", {"event_id": str(event.event_id), "reason": "reads as may",
                                                   "corrections": {"modality": "permits"}}), slug=slug)
    assert {r["modality"] for r in items(anon, agreement=slug)} == {"permits"}


def test_pages_follow_the_cursor_without_repeating_rows(anon):
    first = anon.get(URL, {"page_size": 2}).json()
    second = anon.get(first["next"]).json()
    keys = [(r["obligation_id"], r["party"]) for r in first["results"] + second["results"]]
    assert len(keys) == len(set(keys)) == 4


def test_the_schema_documents_the_endpoint(anon):
    schema = anon.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/obligations/"]["get"]
    assert {"cursor", "page_size", "party", "obligation", "as_of", "known_at"} <= {p["name"] for p in operation["parameters"]}


def _api_rows(anon):
    rows, url, params = [], URL, {"page_size": 500}
    while url:
        page = anon.get(url, params).json()
        rows += page["results"]
        url, params = page["next"], None
    return rows


COMPARED = ["obligation_id", "agreement", "eid", "party", "obligation", "modality", "conditions", "towards",
            "adversary", "effective", "until", "signature", "entry_into_force", "sources", "note"]


def test_the_parquet_dataset_reads_back_to_the_api_rows(anon):
    import pyarrow.parquet as pq

    response = anon.get("/data/obligations.parquet")
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(response.content))
    from_file = [{k: row[k] for k in COMPARED} for row in table.to_pylist()]
    from_api = [{k: row[k] for k in COMPARED} for row in _api_rows(anon)]
    assert from_file == from_api and len(from_file) >= 7
    assert str(table.schema.field("valid_from").type) == "date32[day]"


def test_the_csv_dataset_reads_back_to_the_api_rows(anon):
    import pandas as pd

    response = anon.get("/data/obligations.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    frame = pd.read_csv(io.BytesIO(response.content), dtype=str, keep_default_na=False)
    api = _api_rows(anon)
    assert len(frame) == len(api)
    for row, item in zip(frame.to_dict("records"), api):
        assert row["obligation_id"] == item["obligation_id"] and row["party"] == item["party"]
        assert (row["conditions"].split(";") if row["conditions"] else []) == item["conditions"]
        assert row["valid_from"] == (item["valid_from"] or "")


def test_the_dataset_holds_published_agreements_only(anon, make_agreement):
    draft = make_agreement("secret-dataset-2024", clauses=1)
    code(draft)
    assert b"secret-dataset-2024" not in anon.get("/data/obligations.csv").content


def test_the_codebook_page_lists_every_code_and_column(anon):
    from agreements.datasets.obligations import NAMES
    from agreements.domain import obligations

    html = anon.get("/data/obligations/codebook/").content.decode()
    for code_ in (*obligations.OBLIGATION_CODES, *obligations.CONDITION_CODES, *obligations.MODALITY_CODES, *NAMES):
        assert f"<code>{code_}</code>" in html


def test_a_coding_follows_its_clause_when_it_is_renumbered(anon, make_agreement):
    slug = make_agreement("renumbered-coding-2012", clauses=1, publish=True)
    code(slug)
    services.handle(parse_command("RenumberClause", {"eid": "art_1", "new_eid": "art_1a", "effective": "2014"}),
                    slug=slug)
    assert {r["eid"] for r in items(anon, agreement=slug)} == {"art_1a"}


def test_rebuilt_projections_give_the_same_obligation_rows(anon):
    from agreements.projections.rebuild import projection_hash, rebuild

    before, rows = projection_hash(), _api_rows(anon)
    rebuild()
    assert projection_hash() == before
    assert [(r["obligation_id"], r["party"]) for r in _api_rows(anon)] == [(r["obligation_id"], r["party"]) for r in rows]


def test_a_page_of_obligations_costs_the_same_queries_whatever_its_size(anon):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        anon.get(URL, {"page_size": 1})
    with CaptureQueriesContext(connection) as large:
        anon.get(URL, {"page_size": 500})
    assert len(large.captured_queries) == len(small.captured_queries) <= 6
