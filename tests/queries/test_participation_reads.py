"""What a bounded participation view reads (the agreement page and the API detail show the first
PACTA_PARTICIPANTS_INLINE participants of a convention): every action and statement counts in the rules, but
only the shown participants' facts, statements and the objections of others to them are built whole."""

import datetime as dt

import pytest

from agreements import services
from agreements.domain.commands import parse_command
from agreements.domain.identities import statement_identity
from agreements.queries.agreements import agreement_at
from agreements.queries.time import TimePoint
from sources.models import Party

pytestmark = pytest.mark.django_db


def on():
    return TimePoint.of(dt.date(2001, 1, 1))  # known now: after the commands


def run(stream, type_name, **fields):
    return services.handle(parse_command(type_name, fields), slug=stream)


def convention(slug, codes):
    run(slug, "DraftAgreement", slug=slug, title=f"Convention {slug}", kind="treaty", work_date="2000-01-01")
    run(slug, "AddClause", eid="art_1", text="Scope.", text_kind="official")
    for code in codes:
        Party.objects.get_or_create(code=code, defaults={"name": f"State {code}", "kind": "state"})
        run(slug, "AddParty", party=code)
    run(slug, "SetEntryIntoForceRule", instruments=2, days_after=30)


def statements_convention(slug):
    """Each applies it provisionally, ratifies and extends it to a territory; TUR reserves and AZE objects to it;
    ISR reserves and USA objects to it (opposing entry into force)."""
    convention(slug, ["TUR", "AZE", "ISR", "USA"])
    for i, code in enumerate(["TUR", "AZE", "ISR", "USA"]):
        run(slug, "RecordLifecycle", action="provisional_application", date=f"2000-01-1{i}", party=code)
        run(slug, "RecordLifecycle", action="ratification", date=f"2000-02-0{i + 1}", party=code)
        run(slug, "RecordLifecycle", action="territorial_application", date="2000-03-01", party=code,
            territory=f"Islands of {code}")
    run(slug, "MakeStatement", party="TUR", kind="reservation", text="TUR reserves.", date="2000-03-01",
        eids=["art_1"], made_at="consent")
    run(slug, "MakeStatement", party="AZE", kind="objection", text="AZE objects.", date="2000-04-01",
        objects_to=statement_identity(slug, 1))
    run(slug, "MakeStatement", party="ISR", kind="reservation", text="ISR reserves.", date="2000-03-01")
    run(slug, "MakeStatement", party="USA", kind="objection", text="USA objects.", date="2000-04-01",
        objects_to=statement_identity(slug, 3), opposes_entry_into_force=True)
    return [statement_identity(slug, n) for n in range(1, 5)]


def test_a_bounded_view_builds_its_participants_statements_and_the_objections_to_them_and_refers_to_the_rest():
    tur, aze, isr, usa = statements_convention("reads-2000")
    view = agreement_at("reads-2000", on(), include_unpublished=True, participant_limit=1)
    [entry] = view.participation.participants
    assert entry.party == "TUR"
    [reservation] = entry.reservations
    assert (reservation.text, reservation.eids) == ("TUR reserves.", ["art_1"])
    assert [(o.party, o.text) for o in reservation.objections] == [("AZE", "AZE objects.")]
    every = {s.statement_id: s for s in view.participation.statements}
    assert set(every) == {tur, aze, isr, usa}  # every standing statement, for the notes and names of the page
    assert not hasattr(every[isr], "text") and not hasattr(every[usa], "text")  # the others' texts are not built
    assert (every[usa].party, every[usa].objects_to, every[usa].opposes_entry_into_force) == ("USA", isr, True)


def test_a_bounded_view_shows_its_participants_as_the_whole_view_does():
    statements_convention("same-2000")
    whole = agreement_at("same-2000", on(), include_unpublished=True)
    bounded = agreement_at("same-2000", on(), include_unpublished=True, participant_limit=2, participant_offset=2)
    assert [p.party for p in bounded.participation.participants] == ["ISR", "USA"]
    by_party = {p.party: p for p in whole.participation.participants}
    for entry in bounded.participation.participants:
        same = by_party[entry.party]
        assert (entry.status, entry.in_force, entry.in_force_how, entry.not_in_force_with) == (
            same.status, same.in_force, same.in_force_how, same.not_in_force_with)
        assert entry.actions == same.actions and entry.statements == same.statements
    assert bounded.participation.participants[0].not_in_force_with == ["USA"]
    assert (bounded.status, bounded.participation.entry_into_force) == (
        whole.status, whole.participation.entry_into_force)


def test_a_bounded_view_keeps_the_facts_of_the_agreement_and_of_its_participants_and_knows_the_others_consents():
    convention("facts-2000", ["TUR", "AZE"])
    run("facts-2000", "RecordLifecycle", action="signature", date="2000-01-01")
    run("facts-2000", "RecordLifecycle", action="signature", date="2000-01-01", party="TUR")
    run("facts-2000", "RecordLifecycle", action="accession", date="2000-02-01", party="AZE")
    view = agreement_at("facts-2000", on(), include_unpublished=True, participant_limit=1)
    assert [(f.action, f.party) for f in view.lifecycle] == [("signature", None), ("signature", "TUR")]
    assert view.consent_recorded  # AZE's accession, not shown, still says a consent is recorded
    assert view.status == "in_force"  # and still counts in the agreement's status (an accession has happened)
