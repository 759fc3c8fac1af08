"""Participation through the API: actions with their effective dates, statements, the entry-into-force rule, each
participant's status on as_of / known_at, the in_force_for and party_status filters, and hostile input."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.eventstore.models import StoredEvent

pytestmark = pytest.mark.django_db
LIST = "/api/v1/agreements/"


class Writer:
    """Commands to one agreement through the API, each based on the version the previous one answered."""

    def __init__(self, client, slug, title="A convention", kind="treaty", parties=()):
        self.client, self.slug = client, slug
        response = client.post(LIST, {"slug": slug, "title": title, "kind": kind}, format="json")
        assert response.status_code == 201, response.json()
        self.version = response.json()["version"]
        for code in parties:
            self.ok({"type": "AddParty", "party": code})

    def send(self, body):
        response = self.client.post(f"/api/v1/agreements/{self.slug}/commands/", body, format="json",
                                    HTTP_IF_MATCH=f'"{self.version}"')
        if response.status_code == 201:
            self.version = response.json()["version"]
        return response

    def ok(self, body):
        response = self.send(body)
        assert response.status_code == 201, response.json()
        return response.json()

    def detail(self, **params):
        return self.client.get(f"/api/v1/agreements/{self.slug}/", params).json()


def participants(detail):
    return {p["party"]: p for p in detail["participants"]}


def every_participant(client, detail):
    """The detail's participants and those of the pages after them (`participants_next`, then `next`)."""
    shown = participants(detail)
    url = detail["participants_next"]
    while url:
        page = client.get(url).json()
        shown.update({p["party"]: p for p in page["results"]})
        url = page["next"]
    return shown


def make_parties(client, n):
    codes = [f"P{i:03}" for i in range(n)]
    for code in codes:
        response = client.post("/api/v1/parties/", {"code": code, "name": f"State {code}", "kind": "state"},
                               format="json")
        assert response.status_code == 201, response.json()
    return codes


@pytest.fixture
def bilateral(archivist_client):
    w = Writer(archivist_client, "bilateral-law-2010", parties=("TUR", "AZE"))
    w.ok({"type": "AddClause", "eid": "art_1", "text": "Mutual assistance.", "text_kind": "official"})
    w.ok({"type": "SetEntryIntoForceRule", "on": "last_notification"})
    w.ok({"type": "RecordLifecycle", "action": "signature", "date": "2010-08-16", "party": "TUR"})
    w.ok({"type": "RecordLifecycle", "action": "signature", "date": "2010-08-16", "party": "AZE"})
    w.ok({"type": "RecordLifecycle", "action": "ratification", "date": "2010-12-21", "party": "AZE"})
    w.ok({"type": "RecordLifecycle", "action": "ratification", "date": "2011-02-02", "party": "TUR"})
    return w


# ---------------------------------------------------------------------------------------------- multilateral


def test_a_35_instrument_rule_entered_through_the_api_derives_every_partys_date(archivist_client):
    codes = make_parties(archivist_client, 40)
    w = Writer(archivist_client, "convention-art-84", parties=codes)
    w.ok({"type": "SetEntryIntoForceRule", "instruments": 35, "days_after": 30, "later_days_after": 30,
          "counts": ["ratification", "accession"]})
    start = dt.date(2000, 1, 1)
    for i, code in enumerate(codes):
        w.ok({"type": "RecordLifecycle", "action": "ratification" if i % 2 else "accession",
              "date": (start + dt.timedelta(days=i)).isoformat(), "party": code})
    detail = w.detail(as_of="2000-03-05")
    thirty_fifth = start + dt.timedelta(days=34)
    in_force = thirty_fifth + dt.timedelta(days=30)
    assert detail["entry_into_force"]["date"] == in_force.isoformat()
    assert detail["entry_into_force"]["how"] == "rule"
    shown = every_participant(w.client, detail)
    assert len(shown) == detail["participant_count"] == 40
    for i, code in enumerate(codes):
        own = start + dt.timedelta(days=i)
        expected = in_force if i < 35 else own + dt.timedelta(days=30)
        assert shown[code]["in_force"] == expected.isoformat(), code
        assert shown[code]["in_force_how"] == "rule"
    assert shown["P000"]["status"] == "party"  # 2000-03-05 is the day of entry into force
    assert shown["P039"]["status"] == "consented"  # its own date is 2000-03-09
    assert shown["P039"]["actions"][0]["marker"] == ""
    assert shown["P000"]["actions"][0]["marker"] == "a"
    assert participants(w.detail(as_of="2000-03-04"))["P000"]["status"] == "consented"


# ---------------------------------------------------------------------------------------------- bounded detail


@pytest.fixture
def five(archivist_client, settings):
    settings.PACTA_PARTICIPANTS_INLINE = 2
    codes = make_parties(archivist_client, 5)
    w = Writer(archivist_client, "five-law", parties=codes)
    w.ok({"type": "SetEntryIntoForceRule", "instruments": 2, "days_after": 0, "later_days_after": 0})
    w.ok({"type": "RecordLifecycle", "action": "adoption", "date": "2009-01-01"})
    for code in codes:
        w.ok({"type": "RecordLifecycle", "action": "signature", "date": "2010-01-01", "party": code})
        w.ok({"type": "RecordLifecycle", "action": "ratification", "date": "2011-01-01", "party": code})
    return w


def test_the_detail_holds_the_first_participants_and_links_to_the_others(five):
    detail = five.detail(as_of="2012")
    assert [p["party"] for p in detail["participants"]] == ["P000", "P001"]
    assert detail["participant_count"] == 5
    assert detail["participants_url"] == "http://testserver/api/v1/agreements/five-law/participants/?as_of=2012-12-31"
    assert detail["participants_next"] == (
        "http://testserver/api/v1/agreements/five-law/participants/?as_of=2012-12-31&page=2")


def test_each_action_appears_once_in_the_detail(five):
    detail = five.detail(as_of="2012")
    event_ids = [a["event_id"] for p in detail["participants"] for a in p["actions"]]
    event_ids += [f["event_id"] for f in detail["lifecycle"]]
    assert len(event_ids) == len(set(event_ids)) == 2 * 2 + 1
    assert [f["action"] for f in detail["lifecycle"]] == ["adoption"]  # the agreement's own, no party's
    assert [p["code"] for p in detail["parties"]] == ["P000", "P001"]  # the parties among `participants`
    assert "lifecycle" not in detail["parties"][0]


def test_the_participant_pages_follow_one_another_to_the_last(five):
    page = five.client.get(f"/api/v1/agreements/{five.slug}/participants/", {"page": 3, "as_of": "2012"}).json()
    assert [p["party"] for p in page["results"]] == ["P004"]
    assert page["count"] == 5 and page["next"] is None
    assert page["previous"] == "http://testserver/api/v1/agreements/five-law/participants/?as_of=2012-12-31&page=2"
    assert page["results"][0]["status"] == "party"


def test_a_participant_page_is_read_as_of_and_as_known_at_the_time_asked(five):
    url = f"/api/v1/agreements/{five.slug}/participants/"
    before = timezone.now()
    five.ok({"type": "RecordLifecycle", "action": "withdrawal", "date": "2013-01-01", "party": "P004"})
    page = {"page": 3}
    assert five.client.get(url, {**page, "as_of": "2012"}).json()["results"][0]["status"] == "party"
    assert five.client.get(url, {**page, "as_of": "2014"}).json()["results"][0]["status"] == "withdrawn"
    known = five.client.get(url, {**page, "as_of": "2014", "known_at": before.isoformat()}).json()
    assert known["results"][0]["status"] == "party"


def test_a_participant_page_has_an_etag_and_answers_304_to_it(five):
    url = f"/api/v1/agreements/{five.slug}/participants/?page=2"
    first = five.client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert five.client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    five.ok({"type": "RecordLifecycle", "action": "withdrawal", "date": "2013-01-01", "party": "P003"})
    assert five.client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize("page", ["0", "x", "-1"])
def test_a_bad_participant_page_number_is_a_400_naming_page(five, page):
    response = five.client.get(f"/api/v1/agreements/{five.slug}/participants/", {"page": page})
    assert response.status_code == 400
    assert "page" in response.json()["errors"]


def test_the_participants_of_an_unknown_agreement_are_a_404(archivist_client):
    assert archivist_client.get("/api/v1/agreements/no-such-law/participants/").status_code == 404


def test_a_recorded_entry_into_force_overrides_the_derivation(bilateral):
    assert bilateral.detail()["entry_into_force"]["how"] == "rule"
    bilateral.ok({"type": "RecordLifecycle", "action": "entry_into_force", "date": "2011-03-04"})
    detail = bilateral.detail()
    assert (detail["entry_into_force"]["date"], detail["entry_into_force"]["how"]) == ("2011-03-04", "recorded")
    assert participants(detail)["TUR"]["in_force"] == "2011-03-04"


# ---------------------------------------------------------------------------------------------- status in time


def test_each_participant_has_its_status_on_as_of(bilateral):
    assert participants(bilateral.detail(as_of="2010-09-01"))["TUR"]["status"] == "signatory"
    assert participants(bilateral.detail(as_of="2011-01-01"))["AZE"]["status"] == "consented"
    both = participants(bilateral.detail(as_of="2011-03-01"))
    assert both["AZE"]["status"] == both["TUR"]["status"] == "party"
    assert both["AZE"]["in_force"] == "2011-02-02"


def test_known_at_shows_the_participants_as_the_registry_knew_them(bilateral):
    before = timezone.now()
    bilateral.ok({"type": "RecordLifecycle", "action": "denunciation", "date": "2015-01-01", "party": "AZE",
                  "effective": "2015-07-01"})
    assert participants(bilateral.detail(as_of="2016-01-01"))["AZE"]["status"] == "withdrawn"
    assert participants(bilateral.detail(as_of="2015-03-01"))["AZE"]["status"] == "party"
    earlier = bilateral.detail(as_of="2016-01-01", known_at=before.isoformat())
    assert participants(earlier)["AZE"]["status"] == "party"


def test_a_correction_of_an_action_changes_the_derived_dates(bilateral):
    events = bilateral.client.get(f"/api/v1/agreements/{bilateral.slug}/events/").json()["results"]
    turkish = next(e for e in events if e["type"] == "LifecycleRecorded" and e["payload"]["party"] == "TUR"
                   and e["payload"]["action"] == "ratification")
    bilateral.ok({"type": "CorrectEvent", "event_id": turkish["event_id"], "reason": "The deposit was later.",
                  "corrections": {"date": "2011-02-10"}})
    assert participants(bilateral.detail())["TUR"]["in_force"] == "2011-02-10"


def test_an_action_and_a_statement_are_citable(bilateral):
    made = bilateral.ok({"type": "MakeStatement", "party": "TUR", "kind": "declaration", "text": "D.",
                         "date": "2011-02-02"})
    for supports in ("lifecycle:ratification:TUR", f"statement:{made['statement_id']}", "entry_into_force_rule"):
        bilateral.ok({"type": "AttachCitation", "source": "usc-dornsife-2023", "locator": "p. 1", "supports": supports})


# ---------------------------------------------------------------------------------------------- statements


def test_make_statement_answers_its_statement_id_and_objections_sit_under_the_reservation(bilateral):
    made = bilateral.ok({"type": "MakeStatement", "party": "TUR", "kind": "reservation", "text": "Art. 1 aside.",
                         "date": "2011-02-02", "eids": ["art_1"], "made_at": "consent"})
    reservation = made["statement_id"]
    assert made["events"][0]["payload"]["statement_id"] == reservation
    objection = bilateral.ok({"type": "MakeStatement", "party": "AZE", "kind": "objection", "text": "AZE objects.",
                              "date": "2011-05-01", "objects_to": reservation, "opposes_entry_into_force": True})
    shown = participants(bilateral.detail())
    [statement] = shown["TUR"]["statements"]
    assert statement["objected_by"] == [objection["statement_id"]]
    assert statement["eids"] == ["art_1"] and statement["made_at"] == "consent"
    assert shown["AZE"]["statements"][0]["opposes_entry_into_force"] is True


def test_an_objection_opposing_entry_into_force_keeps_it_out_of_force_between_the_two_until_withdrawn(bilateral):
    reservation = bilateral.ok({"type": "MakeStatement", "party": "TUR", "kind": "reservation", "text": "Aside.",
                                "date": "2011-02-02"})["statement_id"]
    objection = bilateral.ok({"type": "MakeStatement", "party": "AZE", "kind": "objection", "text": "Opposed.",
                              "date": "2011-05-01", "objects_to": reservation,
                              "opposes_entry_into_force": True})["statement_id"]
    bilateral.ok({"type": "WithdrawStatement", "statement_id": objection, "date": "2013-01-01"})
    during = participants(bilateral.detail(as_of="2012-01-01"))
    assert during["TUR"]["not_in_force_with"] == ["AZE"] and during["AZE"]["not_in_force_with"] == ["TUR"]
    assert participants(bilateral.detail(as_of="2011-04-01"))["TUR"]["not_in_force_with"] == []  # not yet made
    assert participants(bilateral.detail(as_of="2014-01-01"))["TUR"]["not_in_force_with"] == []  # withdrawn


def test_a_withdrawn_statement_stands_until_its_withdrawal(bilateral):
    reservation = bilateral.ok({"type": "MakeStatement", "party": "TUR", "kind": "reservation", "text": "Wide.",
                                "date": "2011-02-02"})["statement_id"]
    done = bilateral.ok({"type": "WithdrawStatement", "statement_id": reservation, "date": "2013-01-01",
                         "text": "Narrow."})
    assert done["statement_id"] == reservation
    assert participants(bilateral.detail(as_of="2012-01-01"))["TUR"]["statements"][0]["text"] == "Wide."
    later = participants(bilateral.detail(as_of="2014-01-01"))["TUR"]["statements"][0]
    assert (later["text"], later["narrowed"]) == ("Narrow.", True)
    bilateral.ok({"type": "WithdrawStatement", "statement_id": reservation, "date": "2015-01-01"})
    assert participants(bilateral.detail(as_of="2016-01-01"))["TUR"]["statements"] == []


# ---------------------------------------------------------------------------------------------- list filters


def test_in_force_for_a_party_on_a_date(bilateral, archivist_client):
    def slugs(**params):
        return {r["slug"] for r in archivist_client.get(LIST, params).json()["results"]}

    assert bilateral.slug in slugs(in_force_for="AZE", as_of="2011-03-01")
    assert bilateral.slug not in slugs(in_force_for="AZE", as_of="2011-01-01")
    assert bilateral.slug not in slugs(in_force_for="ISR", as_of="2011-03-01")
    assert bilateral.slug in slugs(party="AZE", party_status="consented", as_of="2011-01-01")
    assert bilateral.slug not in slugs(party="AZE", party_status="consented", as_of="2011-03-01")


def test_in_force_for_reads_the_record_time_it_is_given(bilateral, archivist_client):
    before = timezone.now()
    bilateral.ok({"type": "RecordLifecycle", "action": "withdrawal", "date": "2012-01-01", "party": "AZE"})
    now = {r["slug"] for r in archivist_client.get(LIST, {"in_force_for": "AZE", "as_of": "2013"}).json()["results"]}
    then = {r["slug"] for r in archivist_client.get(LIST, {"in_force_for": "AZE", "as_of": "2013",
                                                           "known_at": before.isoformat()}).json()["results"]}
    assert bilateral.slug not in now and bilateral.slug in then


def test_bad_participation_filters_are_400s_naming_them(archivist_client):
    for params in ({"party_status": "bound"}, {"in_force_for": "not a code"}, {"as_of": "2011-02-30",
                                                                              "in_force_for": "AZE"},
                   {"known_at": "yesterday", "in_force_for": "AZE"}):
        response = archivist_client.get(LIST, params)
        assert response.status_code == 400, params
        assert set(params) & set(response.json().get("errors", {})), response.json()


# ---------------------------------------------------------------------------------------------- hostile input


def stored():
    return StoredEvent.objects.count()


@pytest.mark.parametrize("body, field_name", [
    ({"type": "MakeStatement", "party": "TUR", "kind": "reservation", "text": "a\x00b", "date": "2011"}, "text"),
    ({"type": "RecordLifecycle", "action": "territorial_application", "date": "2011", "party": "TUR",
      "territory": "x" * 10_000}, "territory"),
    ({"type": "RecordLifecycle", "action": "accession", "date": "2011-02-30", "party": "TUR"}, "date"),
    ({"type": "RecordLifecycle", "action": "accession", "date": "2011", "party": "TUR", "effective": "2011-13-01"},
     "effective"),
    ({"type": "MakeStatement", "party": "TUR", "kind": "reservation", "text": "x", "date": "2011",
      "objects_to": "not-a-uuid"}, "objects_to"),
    ({"type": "SetEntryIntoForceRule", "instruments": "35"}, "instruments"),
    ({"type": "MakeStatement", "party": "TUR", "kind": "treaty", "text": "x", "date": "2011"}, "kind"),
])
def test_hostile_input_is_a_400_naming_the_field_and_stores_nothing(bilateral, body, field_name):
    before = stored()
    response = bilateral.send(body)
    assert response.status_code == 400, response.json()
    named = set(response.json().get("errors", {})) | ({field_name} if f"body.{field_name}:" in
                                                      response.json()["detail"] else set())
    assert field_name in named
    assert stored() == before


def test_an_objection_to_another_agreements_statement_is_a_409(bilateral, archivist_client):
    other = Writer(archivist_client, "other-law-2011", parties=("TUR", "AZE"))
    elsewhere = other.ok({"type": "MakeStatement", "party": "TUR", "kind": "reservation", "text": "R.",
                          "date": "2011"})["statement_id"]
    before = stored()
    response = bilateral.send({"type": "MakeStatement", "party": "AZE", "kind": "objection", "text": "O.",
                               "date": "2012", "objects_to": elsewhere})
    assert response.status_code == 409
    assert (response.json()["rule"], response.json()["field"]) == ("unknown_statement", "objects_to")
    assert stored() == before


def test_an_objection_to_a_withdrawn_statement_is_a_409(bilateral):
    reservation = bilateral.ok({"type": "MakeStatement", "party": "TUR", "kind": "reservation", "text": "R.",
                                "date": "2011"})["statement_id"]
    bilateral.ok({"type": "WithdrawStatement", "statement_id": reservation, "date": "2012"})
    before = stored()
    response = bilateral.send({"type": "MakeStatement", "party": "AZE", "kind": "objection", "text": "O.",
                               "date": "2013", "objects_to": reservation})
    assert (response.status_code, response.json()["rule"]) == (409, "statement_withdrawn")
    assert response.json()["field"] == "objects_to"
    assert stored() == before


def test_a_succession_loop_is_a_409_naming_predecessor(archivist_client):
    w = Writer(archivist_client, "succession-law", parties=("TUR", "AZE"))
    w.ok({"type": "RecordLifecycle", "action": "ratification", "date": "1990", "party": "TUR"})
    w.ok({"type": "RecordLifecycle", "action": "succession", "date": "1992", "party": "AZE", "predecessor": "TUR"})
    w.ok({"type": "RecordLifecycle", "action": "withdrawal", "date": "1993", "party": "TUR"})
    before = stored()
    response = w.send({"type": "RecordLifecycle", "action": "succession", "date": "1994", "party": "TUR",
                       "predecessor": "AZE"})
    assert response.status_code == 409
    assert (response.json()["rule"], response.json()["field"]) == ("succession_loop", "predecessor")
    assert stored() == before


def test_two_consents_are_a_409_and_a_withdrawal_without_consent_too(bilateral):
    second = bilateral.send({"type": "RecordLifecycle", "action": "accession", "date": "2012", "party": "TUR"})
    assert (second.status_code, second.json()["rule"]) == (409, "consent_twice")
    other = Writer(bilateral.client, "unbound-law", parties=("TUR",))
    response = other.send({"type": "RecordLifecycle", "action": "withdrawal", "date": "2012", "party": "TUR"})
    assert (response.status_code, response.json()["rule"]) == (409, "withdrawal_without_consent")


# ---------------------------------------------------------------------------------------------- cost


def test_the_detail_costs_the_same_queries_for_2_or_40_participants(archivist_client):
    small = Writer(archivist_client, "small-law", parties=("TUR", "AZE"))
    codes = make_parties(archivist_client, 40)
    large = Writer(archivist_client, "large-law", parties=codes)
    for w, parties in ((small, ("TUR", "AZE")), (large, codes)):
        w.ok({"type": "SetEntryIntoForceRule", "on": "last_notification"})
        for code in parties:
            w.ok({"type": "RecordLifecycle", "action": "ratification", "date": "2011", "party": code})
            w.ok({"type": "MakeStatement", "party": code, "kind": "declaration", "text": "D.", "date": "2011"})
    counts = []
    for w in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            assert archivist_client.get(f"/api/v1/agreements/{w.slug}/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# ---------------------------------------------------------------------------------------------- downloads


def test_participation_downloads_one_row_per_action_as_csv(bilateral):
    response = bilateral.client.get(f"/api/v1/agreements/{bilateral.slug}/participation/",
                                    {"format": "csv", "as_of": "2011-03-01"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("agreement,party,party_name,action,kind,marker,date,effective")
    assert len(lines) == 1 + 4  # two signatures, two ratifications
    assert any(",AZE," in line and ",ratification," in line and ",party," in line for line in lines)


def test_statements_download_one_row_per_statement_and_defuse_formulas(bilateral):
    bilateral.ok({"type": "MakeStatement", "party": "TUR", "kind": "declaration", "text": "=HYPERLINK(1)",
                  "date": "2011-02-02", "eids": ["art_1"]})
    response = bilateral.client.get(f"/api/v1/agreements/{bilateral.slug}/statements/", {"format": "csv"})
    rows = response.content.decode().strip().splitlines()
    assert len(rows) == 2 and "'=HYPERLINK(1)" in rows[1] and ",art_1," in rows[1]
    assert bilateral.client.get(f"/api/v1/agreements/{bilateral.slug}/statements/").json()["results"][0]["kind"] == \
        "declaration"


def test_statements_download_every_language_a_statement_has_the_requested_one_first(bilateral):
    made = bilateral.ok({"type": "MakeStatement", "party": "TUR", "kind": "declaration", "text": "In English.",
                         "date": "2011-02-02", "language": "en"})
    bilateral.ok({"type": "MakeStatement", "statement_id": made["statement_id"], "party": "TUR",
                  "kind": "declaration", "text": "Türkçe.", "date": "2011-02-02", "language": "tr"})
    url = f"/api/v1/agreements/{bilateral.slug}/statements/"
    rows = bilateral.client.get(url, {"lang": "tr"}).json()["results"]
    assert [(r["statement_id"], r["language"], r["text"]) for r in rows] == [
        (made["statement_id"], "tr", "Türkçe."), (made["statement_id"], "en", "In English.")]
    lines = bilateral.client.get(url, {"format": "csv"}).content.decode().strip().splitlines()
    assert len(lines) == 3 and ",en,In English." in lines[1] and ",tr,Türkçe." in lines[2]


def test_an_entry_into_force_derived_by_the_rule_gives_the_agreement_its_status_everywhere(bilateral, archivist_client):
    assert bilateral.detail(as_of="2011-03-01")["status"] == "in_force"
    assert bilateral.detail(as_of="2011-01-01")["status"] == "signed"
    listed = {r["slug"]: r["status"] for r in archivist_client.get(LIST, {"page_size": 500}).json()["results"]}
    assert listed[bilateral.slug] == "in_force"
    in_force = {r["slug"] for r in archivist_client.get(LIST, {"in_force_on": "2011-03-01"}).json()["results"]}
    signed = {r["slug"] for r in archivist_client.get(LIST, {"status": "signed"}).json()["results"]}
    assert bilateral.slug in in_force and bilateral.slug not in signed


def test_a_percent_sign_in_a_bad_record_time_is_a_400_not_a_500(archivist_client):
    response = archivist_client.get(LIST, {"in_force_for": "AZE", "known_at": "100%s"})
    assert response.status_code == 400 and "known_at" in response.json()["errors"]
    assert archivist_client.get(LIST, {"in_force_on": "20%d"}).status_code == 400
