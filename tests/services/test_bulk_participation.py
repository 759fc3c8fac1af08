"""A bulk load projects participation (actions with their details, the entry-into-force rule, statements and the
derived status periods) to exactly the rows the commands and a rebuild give."""

import pytest

from agreements import services
from agreements.domain import commands
from agreements.domain.identities import statement_identity
from agreements.projections.models import (
    AgreementRecord, EntryIntoForceRuleRow, LifecycleFact, ParticipationPeriod, StatementVersion)

from .test_bulk import new

pytestmark = pytest.mark.django_db


def participation_commands(slug):
    reservation = statement_identity(slug, 1)
    return [
        commands.AddParty(party="AZE"),
        commands.AddParty(party="ISR"),
        commands.SetEntryIntoForceRule(on="last_notification", days_after=30, years=10, renewal_years=5, notice_months=6),
        commands.RecordLifecycle(action="signature", date="2010-08-16", party="TUR"),
        commands.RecordLifecycle(action="signature", date="2010-08-16", party="AZE"),
        commands.RecordLifecycle(action="ratification", date="2010-12-21", party="AZE", notification="C.N.1.2010"),
        commands.RecordLifecycle(action="ratification", date="2011-02-02", party="TUR", effective="2011-03-04"),
        commands.RecordLifecycle(action="accession", date="2012-05-01", party="ISR"),
        commands.RecordLifecycle(action="territorial_exclusion", date="2012-05-01", party="ISR", territory="Somewhere"),
        commands.RecordLifecycle(action="denunciation", date="2016-01-01", party="ISR"),
        commands.MakeStatement(party="TUR", kind="reservation", text="Article 1 does not apply.", date="2011-02-02",
                        eids=["art_1"], made_at="consent"),
        commands.MakeStatement(party="AZE", kind="objection", text="AZE objects.", date="2011-06-01", objects_to=reservation,
                        opposes_entry_into_force=True),
        commands.MakeStatement(party="TUR", kind="reservation", text="Madde 1 uygulanmaz.", date="2011-02-02",
                        language="tr", statement_id=reservation),
        commands.WithdrawStatement(statement_id=reservation, date="2014-01-01", text="Article 1(2) does not apply."),
    ]


def rows_of(slug):
    record = AgreementRecord.objects.get(slug=slug)
    skip = {"id", "agreement_id", "known_from", "known_to", "event_id", "position", "ended_by", "statement_id",
            "objects_to"}

    def values(model, order):
        return [{k: v for k, v in row.items() if k not in skip}
                for row in model.objects.filter(agreement=record).order_by(*order).values()]

    return {
        "facts": values(LifecycleFact, ["action", "party_code", "date"]),
        "rules": values(EntryIntoForceRuleRow, ["known_from"]),
        "periods": values(ParticipationPeriod, ["party_code", "valid_from", "status", "known_from"]),
        "statements": values(StatementVersion, ["party_code", "language", "valid_from", "valid_to", "known_from"]),
    }


def test_bulk_and_command_projections_of_participation_give_the_same_rows():
    services.handle_bulk([services.NewAgreement("bulk-law", new("bulk-law", *participation_commands("bulk-law"))
                                                .commands)])
    bulk = rows_of("bulk-law")
    assert bulk["periods"] and len(bulk["statements"]) >= 4
    for command in new("cmd-law", *participation_commands("cmd-law")).commands:
        services.handle(command, slug="cmd-law")
    assert rows_of("cmd-law") == bulk


def test_a_rebuild_gives_the_bulk_loaded_participation_to_the_hash():
    from agreements.projections.rebuild import projection_hash, rebuild

    services.handle_bulk([new("bulk-law", *participation_commands("bulk-law"))])
    before = projection_hash()
    rebuild()
    assert projection_hash() == before
